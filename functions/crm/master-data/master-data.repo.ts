import { query, type Queryable } from '../../../shared/db/tx.js';

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

/** ISO 3166-1 countries with their English names (the registration page's nationality list). */
export async function listCountries(): Promise<{ code: string; name: string }[]> {
  const { rows } = await query<{ code: string; name: string }>(`select code, name from country order by name`);
  return rows;
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

export interface ReferenceCodes {
  provinceCodes: string[];
  cityCodes: string[];
  districtCodes: string[];
  countryCodes: string[];
  bankCodes: string[];
}

/** Of the given codes, those the master data does not know (banks: not active). One round trip. */
export async function unknownReferences(q: Queryable, c: ReferenceCodes): Promise<ReferenceCodes> {
  const { rows } = await q.query<{ provinces: string[]; cities: string[]; districts: string[]; countries: string[]; banks: string[] }>(
    `select array(select x from unnest($1::text[]) x where not exists (select 1 from province where code = x)) as provinces,
            array(select x from unnest($2::text[]) x where not exists (select 1 from city where code = x)) as cities,
            array(select x from unnest($3::text[]) x where not exists (select 1 from district where code = x)) as districts,
            array(select x from unnest($4::text[]) x where not exists (select 1 from country where code = x)) as countries,
            array(select x from unnest($5::text[]) x where not exists (select 1 from bank where code = x and active)) as banks`,
    [c.provinceCodes, c.cityCodes, c.districtCodes, c.countryCodes, c.bankCodes],
  );
  const r = rows[0]!;
  return { provinceCodes: r.provinces, cityCodes: r.cities, districtCodes: r.districts, countryCodes: r.countries, bankCodes: r.banks };
}
