import { AppError } from '../../../shared/errors.js';
import { listLocations, locationExists, type Location, type LocationLevel } from './master-data.repo.js';

export interface ListLocationsOptions {
  level: LocationLevel;
  parent?: string;
}

/** Provinces, or the cities of a province, or the districts of a city. An unknown parent is a 404. */
export async function listLocationsOf(opts: ListLocationsOptions): Promise<Location[]> {
  const items = await listLocations(opts.level, opts.parent);
  if (items.length === 0 && opts.level !== 'province' && opts.parent && !(await locationExists(opts.level, opts.parent))) {
    throw new AppError('NOT_FOUND', { detail: `No ${opts.level === 'city' ? 'province' : 'city'} with code ${opts.parent}` });
  }
  return items;
}
