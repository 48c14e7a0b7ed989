import type { Directory } from './directory.ts';
import { createPlatformService } from './platform.service.ts';

/**
 * The services that work across organisations, over the directory (decision 028). Add one as a
 * line here; routes reach it as `platform.<name>`.
 */
export function createPlatformServices(deps: { directory: Directory; now?: () => Date }) {
  return {
    organisations: createPlatformService(deps),
  };
}

export type PlatformServices = ReturnType<typeof createPlatformServices>;
