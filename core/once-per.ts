/**
 * `build` run once per key object and its result kept while the key lives: schemas built from the
 * router kinds a composition root passes, which stay the same list for the life of a process.
 */
export function oncePer<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const built = new WeakMap<K, V>();
  return (key) => {
    if (!built.has(key)) built.set(key, build(key));
    return built.get(key) as V;
  };
}
