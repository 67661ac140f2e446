-- CRM core (the seed's lead, investor_individual, investor_institutional, investor_bank_account): leads, investor
-- KYC, bank accounts and KYC documents. Every table is a tenant table under FORCE'd RLS; an RM agent
-- additionally sees only the leads and investors it owns (app.own_rows_only), admins their companies'.

insert into auth_role_permission (role, permission)
select r.role, p.permission
  from (values ('RM_AGENT'), ('ADMIN'), ('SUPER_ADMIN')) as r (role)
 cross join (values ('lead:read'), ('lead:write'), ('investor:read')) as p (permission)
union all
select 'RM_AGENT', 'investor:write'
union all
select r.role, p.permission
  from (values ('ADMIN'), ('SUPER_ADMIN')) as r (role)
 cross join (values ('investor:approve'), ('investor:reveal'), ('investor:sync')) as p (permission);

-- Set by the transaction helper for RM agents: CRM rows are theirs or invisible.
create function app.own_rows_only() returns boolean
language sql stable parallel safe as $$
  select coalesce(current_setting('app.own_rows_only', true), 'off') = 'on'
$$;
grant execute on function app.own_rows_only() to rmtools_app;

create table lead (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  owner_id bigint not null references auth_user (id),
  fullname text not null check (length(fullname) between 2 and 200),
  phone text check (phone ~ '^\+[1-9][0-9]{7,14}$'),
  email text check (length(email) <= 320),
  source text check (length(source) <= 100),
  notes text check (length(notes) <= 2000),
  status text not null default 'NEW' check (status in ('NEW', 'CONTACTED', 'INTERESTED', 'CONVERTED', 'LOST')),
  next_follow_up_at timestamptz,
  investor_id uuid unique,
  created_by bigint references auth_user (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint lead_converted_has_investor check ((status = 'CONVERTED') = (investor_id is not null))
);
-- GET /crm/leads pages a company (admins) or an owner's leads (agents) by id, newest first. A q search reads
-- the range it filters: under RLS, LIKE (not leakproof) cannot be served by a trigram index.
create index lead_company_id on lead (company_id, id);
create index lead_company_owner_id on lead (company_id, owner_id, id);
create index lead_company_status_id on lead (company_id, status, id);

create table investor (
  id uuid primary key default gen_random_uuid(),
  company_id bigint not null references auth_company (id),
  agent_id bigint not null references auth_user (id),
  type text not null check (type in ('INDIVIDUAL', 'INSTITUTIONAL')),
  -- DRAFT: a converted lead whose KYC is not submitted yet.
  status text not null check (status in ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED')),
  full_name text not null check (length(full_name) between 2 and 200),
  email text check (length(email) <= 320),
  phone text check (phone ~ '^\+[1-9][0-9]{7,14}$'),
  -- Keyed hash of the NIK (individual) or NPWP (institutional): one live investor per identity per company.
  id_number_hash text,
  id_number_last4 text check (id_number_last4 ~ '^[0-9]{4}$'),
  lead_id bigint unique references lead (id),
  risk_questionnaire_version text,
  risk_answers jsonb,
  risk_score integer,
  risk_category text check (risk_category in ('CONSERVATIVE', 'MODERATE', 'AGGRESSIVE')),
  submitted_at timestamptz,
  decided_by bigint references auth_user (id),
  decided_at timestamptz,
  rejected_reason text check (length(rejected_reason) <= 500),
  external_id text check (external_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  sync_status text not null default 'NOT_READY' check (sync_status in ('NOT_READY', 'PENDING', 'SYNCED', 'FAILED')),
  created_by bigint references auth_user (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint investor_submitted_complete check (
    status = 'DRAFT' or (id_number_hash is not null and id_number_last4 is not null and submitted_at is not null)),
  constraint investor_individual_risk check (status = 'DRAFT' or type = 'INSTITUTIONAL' or risk_category is not null),
  constraint investor_decided check ((status in ('APPROVED', 'REJECTED')) = (decided_at is not null)),
  constraint investor_rejected_reason check ((status = 'REJECTED') = (rejected_reason is not null))
);
create unique index investor_company_identity on investor (company_id, id_number_hash) where status <> 'REJECTED';
create unique index investor_company_external_id on investor (company_id, external_id) where external_id is not null;
-- GET /crm/investors pages newest first: per company (admins), per agent (agents), per status (review queue).
create index investor_company_created on investor (company_id, created_at desc, id desc);
create index investor_company_agent_created on investor (company_id, agent_id, created_at desc, id desc);
create index investor_company_status_created on investor (company_id, status, created_at desc, id desc);
-- Search by a whole NIK or NPWP: its keyed hash, rejected investors included.
create index investor_company_identity_any on investor (company_id, id_number_hash);

alter table lead add constraint lead_investor_fk foreign key (investor_id) references investor (id);

-- Values ending in _enc are AES-256-GCM (shared/crypto, key id inside); _hash are keyed hashes for lookups.
create table investor_individual (
  investor_id uuid primary key references investor (id) on delete cascade,
  company_id bigint not null references auth_company (id),
  nik_enc text not null,
  nik_hash text not null,
  npwp_enc text,
  npwp_hash text,
  birth_place text not null,
  birth_date date not null,
  gender text not null,
  mother_maiden_name_enc text not null,
  nationality text not null references country (code),
  religion text not null,
  marital_status text not null,
  education text not null,
  occupation text not null,
  employer text,
  annual_income text not null,
  source_of_funds text not null,
  investment_objective text not null,
  address_line text not null,
  province_code text not null references province (code),
  city_code text not null references city (code),
  district_code text not null references district (code),
  postal_code text not null check (postal_code ~ '^[0-9]{5}$'),
  correspondence_address jsonb,
  beneficial_owner jsonb not null,
  fatca_us_person boolean not null,
  us_tin_enc text,
  constraint investor_individual_nesting check (city_code like province_code || '.%' and district_code like city_code || '.%'),
  constraint investor_individual_npwp check ((npwp_enc is null) = (npwp_hash is null)),
  constraint investor_individual_fatca check (not fatca_us_person or us_tin_enc is not null)
);
-- Search by an individual's NPWP.
create index investor_individual_company_npwp on investor_individual (company_id, npwp_hash) where npwp_hash is not null;

create table investor_institutional (
  investor_id uuid primary key references investor (id) on delete cascade,
  company_id bigint not null references auth_company (id),
  legal_form text not null,
  npwp_enc text not null,
  npwp_hash text not null,
  nib text not null check (nib ~ '^[0-9]{13}$'),
  deed_number text not null,
  deed_date date not null,
  established_place text not null,
  established_date date not null,
  line_of_business text not null,
  address_line text not null,
  province_code text not null references province (code),
  city_code text not null references city (code),
  district_code text not null references district (code),
  postal_code text not null check (postal_code ~ '^[0-9]{5}$'),
  total_assets text not null,
  source_of_funds text not null,
  investment_objective text not null,
  contact_person jsonb not null,
  ultimate_beneficial_owner jsonb not null,
  constraint investor_institutional_nesting check (city_code like province_code || '.%' and district_code like city_code || '.%')
);

create table investor_authorized_person (
  id bigint generated always as identity primary key,
  investor_id uuid not null references investor (id) on delete cascade,
  company_id bigint not null references auth_company (id),
  name text not null,
  title text not null,
  nik_enc text not null,
  nik_hash text not null,
  nik_last4 text not null check (nik_last4 ~ '^[0-9]{4}$'),
  phone text not null,
  email text not null,
  unique (investor_id, nik_hash)
);

create table investor_bank_account (
  id bigint generated always as identity primary key,
  investor_id uuid not null references investor (id) on delete cascade,
  company_id bigint not null references auth_company (id),
  bank_code text not null references bank (code),
  account_number_enc text not null,
  account_number_hash text not null,
  account_number_last4 text not null check (account_number_last4 ~ '^[0-9]{4}$'),
  account_holder_name text not null,
  is_primary boolean not null,
  -- The holder name did not match the investor's: an admin looks before approving the investor.
  needs_review boolean not null,
  verified boolean not null default false,
  created_at timestamptz not null default now(),
  unique (investor_id, bank_code, account_number_hash)
);
create unique index investor_bank_account_one_primary on investor_bank_account (investor_id) where is_primary;

create table investor_document (
  id uuid primary key default gen_random_uuid(),
  investor_id uuid not null references investor (id),
  company_id bigint not null references auth_company (id),
  kind text not null check (kind in ('KTP', 'SELFIE', 'SIGNATURE_SPECIMEN', 'NPWP', 'DEED', 'OTHER')),
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'application/pdf')),
  size_bytes integer not null check (size_bytes between 1 and 10485760),
  object_key text not null unique,
  status text not null default 'PENDING_UPLOAD' check (status in ('PENDING_UPLOAD', 'UPLOADED')),
  uploaded_at timestamptz,
  created_by bigint references auth_user (id),
  created_at timestamptz not null default now()
);
create index investor_document_investor on investor_document (investor_id, created_at desc, id desc);

create trigger lead_touch before update on lead for each row execute function app.touch_updated_at();
create trigger investor_touch before update on investor for each row execute function app.touch_updated_at();

-- Detail tables have no id of their own: their audit rows are filed under the investor.
create or replace function app.audit_row() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  hidden text[] := coalesce(tg_argv[2:], '{}');
  before_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) - hidden end;
  after_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) - hidden end;
  subject jsonb := coalesce(after_row, before_row);
begin
  if tg_op = 'UPDATE' and before_row = after_row then
    return null;
  end if;
  insert into auth_user_action_log
    (company_id, entity, entity_id, action_name, actor_id, user_ip, prev_entity_value, new_entity_value)
  values (
    (subject ->> tg_argv[1])::bigint,
    tg_argv[0],
    coalesce(subject ->> 'id', subject ->> 'user_id', subject ->> 'investor_id'),
    case tg_op when 'INSERT' then 'add' when 'UPDATE' then 'update' else 'delete' end,
    app.user_id(),
    app.client_ip(),
    before_row,
    after_row
  );
  return null;
end
$$;

-- Ciphertexts and keyed hashes stay out of the trail: it shows that a value changed, through updated_at.
create trigger lead_audit after insert or update or delete on lead
  for each row execute function app.audit_row('lead', 'company_id', 'updated_at');
create trigger investor_audit after insert or update or delete on investor
  for each row execute function app.audit_row('investor', 'company_id', 'id_number_hash', 'updated_at');
create trigger investor_individual_audit after insert or update or delete on investor_individual
  for each row execute function app.audit_row('investor_individual', 'company_id',
    'nik_enc', 'nik_hash', 'npwp_enc', 'npwp_hash', 'mother_maiden_name_enc', 'us_tin_enc');
create trigger investor_institutional_audit after insert or update or delete on investor_institutional
  for each row execute function app.audit_row('investor_institutional', 'company_id', 'npwp_enc', 'npwp_hash');
create trigger investor_authorized_person_audit after insert or update or delete on investor_authorized_person
  for each row execute function app.audit_row('investor_authorized_person', 'company_id', 'nik_enc', 'nik_hash');
create trigger investor_bank_account_audit after insert or update or delete on investor_bank_account
  for each row execute function app.audit_row('investor_bank_account', 'company_id', 'account_number_enc', 'account_number_hash');
create trigger investor_document_audit after insert or update or delete on investor_document
  for each row execute function app.audit_row('investor_document', 'company_id');

-- Reading a full NIK, NPWP or account number is itself an audited action.
alter table auth_user_action_log drop constraint auth_user_action_log_action_name_check;
alter table auth_user_action_log add constraint auth_user_action_log_action_name_check
  check (action_name in ('add', 'update', 'delete', 'reveal'));
create function app.audit_reveal(entity text, entity_id text, company_id bigint, fields text[]) returns void
language sql security definer set search_path = pg_catalog, public as $$
  insert into auth_user_action_log (company_id, entity, entity_id, action_name, actor_id, user_ip, new_entity_value)
  select audit_reveal.company_id, audit_reveal.entity, audit_reveal.entity_id, 'reveal', app.user_id(), app.client_ip(),
         jsonb_build_object('fields', to_jsonb(fields))
   where audit_reveal.company_id = any (app.company_ids()) or app.is_super_admin()
$$;
revoke all on function app.audit_reveal(text, text, bigint, text[]) from public;
grant execute on function app.audit_reveal(text, text, bigint, text[]) to rmtools_app;

-- Row level security: the tenant, and for agents the owner. Detail rows follow their investor's visibility
-- (the subquery is itself under the investor policy, one primary-key probe per row).
alter table lead enable row level security;
alter table lead force row level security;
create policy lead_tenant on lead
  using ((select app.is_super_admin())
         or (company_id = any ((select app.company_ids())::bigint[]) and (not (select app.own_rows_only()) or owner_id = (select app.user_id()))))
  with check ((select app.is_super_admin())
         or (company_id = any ((select app.company_ids())::bigint[]) and (not (select app.own_rows_only()) or owner_id = (select app.user_id()))));

alter table investor enable row level security;
alter table investor force row level security;
create policy investor_tenant on investor
  using ((select app.is_super_admin())
         or (company_id = any ((select app.company_ids())::bigint[]) and (not (select app.own_rows_only()) or agent_id = (select app.user_id()))))
  with check ((select app.is_super_admin())
         or (company_id = any ((select app.company_ids())::bigint[]) and (not (select app.own_rows_only()) or agent_id = (select app.user_id()))));

do $$
declare t text;
begin
  foreach t in array array['investor_individual', 'investor_institutional', 'investor_authorized_person', 'investor_bank_account', 'investor_document'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format(
      'create policy %I on %I
         using ((select app.is_super_admin())
                or (company_id = any ((select app.company_ids())::bigint[])
                    and (not (select app.own_rows_only()) or exists (select 1 from investor i where i.id = investor_id))))
         with check ((select app.is_super_admin())
                or (company_id = any ((select app.company_ids())::bigint[])
                    and (not (select app.own_rows_only()) or exists (select 1 from investor i where i.id = investor_id))))',
      t || '_tenant', t);
  end loop;
  -- Operators (the owner role) read everything to inspect and repair, as with the auth tables.
  foreach t in array array['lead', 'investor', 'investor_individual', 'investor_institutional', 'investor_authorized_person', 'investor_bank_account', 'investor_document'] loop
    execute format('create policy %I on %I for select to rmtools_owner using (true)', t || '_owner_read', t);
  end loop;
end
$$;

grant select, insert, update, delete on lead to rmtools_app;
grant select, insert, update on investor, investor_document to rmtools_app;
grant select, insert, update, delete on investor_individual, investor_institutional, investor_authorized_person, investor_bank_account to rmtools_app;
