import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { profilesFrom } from '#infra/profiles-from.ts';
import { buildStepshiftApp } from '#infra/stepshift-app.ts';
import { ordersProfile } from '../support/profiles.ts';
import { projectApp } from './support.ts';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepshift-profiles-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('profilesFrom(folder)', () => {
  it('reads every JSON and YAML profile of the folder in file-name order, without $schema', () => {
    // Prepare
    const payments = { ...ordersProfile(), service: 'payments' };
    const dir = folder({
      'orders.json': JSON.stringify({ $schema: './profile.schema.json', ...ordersProfile() }),
      'payments.yaml': stringify(payments),
      'notes.txt': 'not a profile',
    });

    // Act
    const profiles = profilesFrom(dir);

    // Assess
    expect(profiles).toEqual([ordersProfile(), payments]);
  });

  it('names the file and the field of a profile Prepare would refuse', () => {
    const bad = { ...ordersProfile(), strategy: { type: 'canary', steps: [5, 200], interval: '5m' } };
    const dir = folder({ 'orders.yml': stringify(bad) });
    expect(() => profilesFrom(dir)).toThrow(
      new RegExp(
        `^profilesFrom: ${join(dir, 'orders.yml')} is not a valid release profile: .*profile\\.strategy\\.steps\\[1\\]: 200 is above 100`,
      ),
    );
  });

  it('names the file and line of a file that does not parse', () => {
    const dir = folder({ 'orders.yaml': 'service: orders\nrouter: [unclosed\n' });
    expect(() => profilesFrom(dir)).toThrow(
      `profilesFrom: ${join(dir, 'orders.yaml')} is not valid YAML at line`,
    );
  });

  it('refuses a folder with no profile in it', () => {
    const dir = folder({ 'README.md': '# profiles' });
    expect(() => profilesFrom(dir)).toThrow(
      `profilesFrom: ${dir} holds no profile (.json, .yaml or .yml files)`,
    );
  });
});

describe('npx cdk deploy Stepshift -c profiles=<folder>', () => {
  it("deploys the folder's profiles instead of the example's", () => {
    // Prepare
    const checkout = { ...ordersProfile(), service: 'checkout' };
    // Bundling skipped: the test reads which profiles the construct got, not the functions' code.
    const app = projectApp({
      profiles: folder({ 'checkout.yaml': stringify(checkout) }),
      'aws:cdk:bundling-stacks': [],
    });

    // Act
    const { stepshift } = buildStepshiftApp(app);

    // Assess
    expect(stepshift.orchestrator.profiles.map((p) => p.service)).toEqual(['checkout']);
  });
});
