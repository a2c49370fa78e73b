import { setting } from '../config/settings.ts';
import type { RateProfile } from '../store/rate-limits-repo.ts';

// How many requests a minute each surface allows, per credential or, without a valid one, per
// client address. The default is generous (6,000 a minute), so that benchmarks and test suites
// run unthrottled; the `vendor` profile applies the numbers each vendor documents, for clients
// that want to exercise their back-off. Dintero and InvestiFi document no numbers.

export interface RateSettings {
  profile: RateProfile;
  /** Requests a minute per credential (and per client address) under the default profile. */
  perMinute: number;
  /** Per-surface overrides of perMinute under the default profile. */
  surfaces: Record<string, number>;
}

export const DEFAULT_PER_MINUTE = 6000;
/** Failed client-secret attempts a minute, per client id and per client address, at Dintero's token endpoint. */
export const TOKEN_FAILURES_PER_MINUTE = 10;

/** ROSTER_RATE_LIMIT (per minute), ROSTER_DAKOTA_RATE_LIMIT (Dakota alone), ROSTER_RATE_LIMITS=vendor. */
export function rateSettings(env: NodeJS.ProcessEnv = process.env): RateSettings {
  const dakota = setting<number>('ROSTER_DAKOTA_RATE_LIMIT', env);
  return {
    profile: setting<RateProfile>('ROSTER_RATE_LIMITS', env) ?? 'default',
    perMinute: setting<number>('ROSTER_RATE_LIMIT', env) ?? DEFAULT_PER_MINUTE,
    surfaces: dakota ? { dakota } : {},
  };
}

interface VendorLimits {
  read: number;
  write: number;
  anonymous: number;
}

/** The vendors' documented limits (specs/VENDOR-NOTES.md). */
export const VENDOR_LIMITS: Record<string, VendorLimits> = {
  dakota: { read: 60, write: 60, anonymous: 10 },
  spirii: { read: 600, write: 120, anonymous: 600 },
};

export interface Limit {
  limit: number;
  /** Requests that share one budget: reads and writes share one unless their limits differ. */
  group: 'all' | 'read' | 'write';
}

export function limitFor(settings: RateSettings, surface: string, profile: RateProfile, perMinute: number | null, who: 'credential' | 'anonymous', cls: 'read' | 'write'): Limit {
  const vendor = profile === 'vendor' ? VENDOR_LIMITS[surface] : undefined;
  if (vendor) {
    if (who === 'anonymous') return { limit: vendor.anonymous, group: 'all' };
    return vendor.read === vendor.write ? { limit: vendor.read, group: 'all' } : { limit: vendor[cls], group: cls };
  }
  return { limit: perMinute ?? settings.surfaces[surface] ?? settings.perMinute, group: 'all' };
}
