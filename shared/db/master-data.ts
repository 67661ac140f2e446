import { createHash } from 'node:crypto';
import pg from 'pg';
import { getDistricts, getProvinces, getRegencies } from 'idn-area-data';

/**
 * Loads Indonesia's administrative areas (Kemendagri codes, from the idn-area-data package) into province,
 * city and district. Runs as the owner after migrations; upserts in one transaction and records a checksum
 * of the data, so it does nothing on later starts until the package brings new data.
 */
export interface AreaData {
  provinces: Array<{ code: string; name: string }>;
  cities: Array<{ code: string; provinceCode: string; name: string }>;
  districts: Array<{ code: string; cityCode: string; name: string }>;
}

export async function readAreaData(): Promise<AreaData> {
  const [provinces, regencies, districts] = await Promise.all([
    getProvinces(),
    getRegencies({ transform: true }),
    getDistricts({ transform: true }),
  ]);
  return {
    provinces: provinces.map((p) => ({ code: p.code, name: titleCase(p.name) })),
    cities: regencies.map((r) => ({ code: r.code, provinceCode: r.provinceCode, name: titleCase(r.name) })),
    districts: districts.map((d) => ({ code: d.code, cityCode: d.regencyCode, name: d.name })),
  };
}

/** The package spells provinces and regencies in capitals; the apps show them as names. */
function titleCase(name: string): string {
  return name
    .toLowerCase()
    .replace(/(^|[\s(/-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
    .replace(/\bDki\b/g, 'DKI')
    .replace(/\bDi\b/g, 'DI');
}

export interface LoadResult {
  loaded: boolean;
  provinces: number;
  cities: number;
  districts: number;
}

export async function loadAreaData(ownerUrl: string): Promise<LoadResult> {
  const data = await readAreaData();
  const checksum = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  const counts = { provinces: data.provinces.length, cities: data.cities.length, districts: data.districts.length };
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const current = await client.query<{ checksum: string }>(
      `select checksum from master_data_version where dataset = 'idn-area'`,
    );
    if (current.rows[0]?.checksum === checksum) return { loaded: false, ...counts };
    await client.query('begin');
    await client.query(
      `insert into province (code, name)
       select * from unnest($1::text[], $2::text[])
       on conflict (code) do update set name = excluded.name`,
      [data.provinces.map((p) => p.code), data.provinces.map((p) => p.name)],
    );
    await client.query(
      `insert into city (code, province_code, name)
       select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (code) do update set province_code = excluded.province_code, name = excluded.name`,
      [data.cities.map((c) => c.code), data.cities.map((c) => c.provinceCode), data.cities.map((c) => c.name)],
    );
    await client.query(
      `insert into district (code, city_code, name)
       select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (code) do update set city_code = excluded.city_code, name = excluded.name`,
      [data.districts.map((d) => d.code), data.districts.map((d) => d.cityCode), data.districts.map((d) => d.name)],
    );
    await client.query(
      `insert into master_data_version (dataset, checksum) values ('idn-area', $1::text)
       on conflict (dataset) do update set checksum = excluded.checksum, loaded_at = now()`,
      [checksum],
    );
    await client.query('commit');
    return { loaded: true, ...counts };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
