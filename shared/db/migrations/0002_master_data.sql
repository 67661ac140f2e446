-- Master data shared by every tenant (the seed's bank, country, province, city, district). Read-only for
-- the app role. Rows are loaded by 0003 (banks, countries) and by the master-data loader (Indonesian
-- administrative areas from the idn-area-data package, shared/db/master-data.ts).

create table bank (
  code text primary key check (code ~ '^[0-9]{3}$'),      -- Bank Indonesia clearing code (sandi bank)
  name text not null,
  short_name text not null,
  swift_code text check (swift_code ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  is_sharia boolean not null default false,
  active boolean not null default true
);
create index bank_active_name on bank (name) where active;

create table country (
  code text primary key check (code ~ '^[A-Z]{2}$'),        -- ISO 3166-1 alpha-2
  alpha3 text not null unique check (alpha3 ~ '^[A-Z]{3}$'),
  name text not null,
  calling_code text
);

-- Official Kemendagri codes: province "11", city/regency "11.01", district "11.01.01".
create table province (
  code text primary key check (code ~ '^[0-9]{2}$'),
  name text not null
);

create table city (
  code text primary key check (code ~ '^[0-9]{2}\.[0-9]{2}$'),
  province_code text not null references province (code),
  name text not null
);
create index city_province on city (province_code, name);

create table district (
  code text primary key check (code ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$'),
  city_code text not null references city (code),
  name text not null
);
create index district_city on district (city_code, name);

-- Which version of a bulk data set is loaded, so the loader runs only when the package changed.
create table master_data_version (
  dataset text primary key,
  checksum text not null,
  loaded_at timestamptz not null default now()
);

grant select on bank, country, province, city, district to rmtools_app;
