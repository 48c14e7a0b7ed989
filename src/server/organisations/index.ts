import type { Directory } from './directory.ts';
import { createPlatformService } from './platform.service.ts';
import { createProvinceService } from './province.service.ts';

/**
 * The services that work across organisations, over the directory (decision 028). Add one as a
 * line here; routes reach it as `platform.<name>`.
 */
export function createPlatformServices(deps: { directory: Directory; now?: () => Date; timeZone?: string }) {
  return {
    organisations: createPlatformService(deps),
    province: createProvinceService(deps),
  };
}

export type PlatformServices = ReturnType<typeof createPlatformServices>;
