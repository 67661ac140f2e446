import { query } from '../../../shared/db/tx.js';

export interface Bank {
  code: string;
  name: string;
  shortName: string;
  swiftCode: string | null;
  isSharia: boolean;
}

export interface Location {
  code: string;
  name: string;
  parentCode: string | null;
}

export type LocationLevel = 'province' | 'city' | 'district';

export async function listActiveBanks(): Promise<Bank[]> {
  const { rows } = await query<{ code: string; name: string; short_name: string; swift_code: string | null; is_sharia: boolean }>(
    `select code, name, short_name, swift_code, is_sharia
       from bank
      where active
      order by name`,
  );
  return rows.map((r) => ({ code: r.code, name: r.name, shortName: r.short_name, swiftCode: r.swift_code, isSharia: r.is_sharia }));
}

// One statement per level; each filters on an indexed parent column.
export const locationSql: Record<LocationLevel, string> = {
  province: `select code, name, null::text as parent_code from province order by name`,
  city: `select code, name, province_code as parent_code from city where province_code = $1::text order by name`,
  district: `select code, name, city_code as parent_code from district where city_code = $1::text order by name`,
};

const parentExistsSql: Record<Exclude<LocationLevel, 'province'>, string> = {
  city: `select 1 from province where code = $1::text`,
  district: `select 1 from city where code = $1::text`,
};

export async function listLocations(level: LocationLevel, parent: string | undefined): Promise<Location[]> {
  const { rows } = await query<{ code: string; name: string; parent_code: string | null }>(
    locationSql[level],
    level === 'province' ? [] : [parent],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code }));
}

export async function locationExists(level: Exclude<LocationLevel, 'province'>, parent: string): Promise<boolean> {
  const { rowCount } = await query(parentExistsSql[level], [parent]);
  return (rowCount ?? 0) > 0;
}
