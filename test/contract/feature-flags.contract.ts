/** What the use cases rely on from FeatureFlags: the values set, the code defaults for the rest. */
import { expect } from 'chai';
import { FLAG_DEFAULTS, FLAG_NAMES, type FeatureFlags, type FlagName } from '../../functions/domain/ports/feature-flags.js';

export type MakeFeatureFlags = (values: Partial<Record<FlagName, boolean>>) => Promise<FeatureFlags>;

export function describeFeatureFlagsContract(name: string, make: MakeFeatureFlags): void {
  describe(`FeatureFlags contract: ${name}`, function () {
    this.timeout(30_000);

    it('reads every flag at its code default when nothing is set', async () => {
      const flags = await make({});
      for (const flag of FLAG_NAMES) expect(await flags.isEnabled(flag), flag).to.equal(FLAG_DEFAULTS[flag]);
    });

    it('reads the values set, against their defaults either way, and the defaults for the others', async () => {
      const flags = await make({ CREATOR_DESCRIPTION: false, VARIANT_ORIGINAL_WEBP: true });
      expect(await flags.isEnabled('CREATOR_DESCRIPTION')).to.equal(false);
      expect(await flags.isEnabled('VARIANT_ORIGINAL_WEBP')).to.equal(true);
      expect(await flags.isEnabled('ALBUM_ART_PIPELINE')).to.equal(FLAG_DEFAULTS.ALBUM_ART_PIPELINE);
    });
  });
}
