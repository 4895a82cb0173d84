/**
 * The standard normal distribution function, after W. J. Cody, "Rational Chebyshev approximations for
 * the error function", Mathematics of Computation 23 (1969) 631-637, as his ANORM routine in SPECFUN
 * (ACM TOMS Algorithm 715, 1993) evaluates it: three rational approximations on |x| <= 0.66291,
 * |x| <= sqrt(32) and beyond, good to about 16 significant digits in double precision, in both tails.
 * The better-known Abramowitz & Stegun 26.2.17 is good to 7.5e-8 only, too coarse to reproduce published
 * p-values digit for digit.
 */

// Cody's coefficients (ANORM): A/B for the centre, C/D for the middle, P/Q for the far tail; he prints
// 20 digits, written here as the shortest literals of the same doubles.
const A = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356];
const A_LEAD = 0.06568233791820745;
const B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978,
];
const C_LEAD = 1.0765576773720192e-8;
const D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
];
const P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934,
  0.000029112874951168793,
];
const P_LEAD = 0.023073441764940174;
const Q = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662,
];

const ONE_OVER_SQRT_2PI = 0.3989422804014327;

/** Cody's rational function: (lead*t^k + num[0]*t^(k-1) + ... + num[k-1]) / (t^k + den[0]*t^(k-1) + ...). */
function rational(t: number, lead: number, num: readonly number[], den: readonly number[]): number {
  let n = lead * t;
  let d = t;
  const last = num.length - 1;
  for (let i = 0; i < last; i++) {
    n = (n + num[i]!) * t;
    d = (d + den[i]!) * t;
  }
  return (n + num[last]!) / (d + den[last]!);
}

/**
 * exp(-y^2/2) with y^2 split as s^2 + (y - s)(y + s), s = y rounded down to sixteenths, so that the
 * rounding error of y*y is not magnified by exp in the tails (Cody's own device).
 */
function gaussianFactor(y: number): number {
  const s = Math.floor(y * 16) / 16;
  const rest = (y - s) * (y + s);
  return Math.exp(-s * s * 0.5) * Math.exp(-rest * 0.5);
}

/** The smaller of the two tails, P(Z > |x|), computed directly so that tiny tails keep their digits. */
function smallerTail(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.66291) return 0.5 - y * rational(y * y, A_LEAD, A, B);
  if (y <= Math.sqrt(32)) return gaussianFactor(y) * rational(y, C_LEAD, C, D);
  if (y < 50) {
    const t = 1 / (y * y);
    const r = t * rational(t, P_LEAD, P, Q);
    return (gaussianFactor(y) * (ONE_OVER_SQRT_2PI - r)) / y;
  }
  return 0;
}

/**
 * P(Z <= x) for a standard normal Z.
 *
 * @example normalCdf(1.96) // 0.9750021048517795
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = smallerTail(x);
  return x < 0 ? tail : 1 - tail;
}

/**
 * P(Z > x) for a standard normal Z, accurate far into the upper tail (where 1 - normalCdf(x) is 0).
 *
 * @example normalSf(10) // 7.61985302416053e-24
 */
export function normalSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = smallerTail(x);
  return x > 0 ? tail : 1 - tail;
}
