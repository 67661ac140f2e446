-- Instructions (the seed's instruction, instruction_token, investor_token): transactions an RM prepares for an
-- approved investor, which the investor approves and signs from an emailed link; remote registration links;
-- the product catalogue until Bib serves it; the signing evidence.

insert into auth_role_permission (role, permission)
select r.role, 'instruction:read'
  from (values ('RM_AGENT'), ('ADMIN'), ('SUPER_ADMIN')) as r (role)
union all
select 'RM_AGENT', 'instruction:create'
union all
-- Cancel before signing and send a fresh link: the RM for its own instructions, admins for their companies'.
select r.role, 'instruction:manage'
  from (values ('RM_AGENT'), ('ADMIN'), ('SUPER_ADMIN')) as r (role);

-- How long an investor's emailed link (signature or remote registration) stays valid, per tenant.
alter table auth_company
  add column investor_link_ttl_hours integer not null default 24 check (investor_link_ttl_hours between 1 and 168);

-- Mutual funds on sale. Bib owns the catalogue (bib-sync); until it serves it, this table is the source, seeded
-- with funds of the four classes OJK distinguishes. Reference data: not per tenant.
create table product (
  code text primary key check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
  name text not null check (length(name) between 2 and 200),
  -- The investment manager (manajer investasi): switching stays within one.
  product_house text not null check (length(product_house) between 2 and 200),
  type text not null check (type in ('MONEY_MARKET', 'FIXED_INCOME', 'BALANCED', 'EQUITY')),
  risk_level integer not null check (risk_level between 1 and 5),
  currency text not null default 'IDR' check (currency ~ '^[A-Z]{3}$'),
  min_subscription numeric(20, 2) not null check (min_subscription > 0),
  min_redemption_units numeric(20, 4) not null default 0 check (min_redemption_units >= 0),
  -- Fees in percent of the amount; null when the product house has not published one.
  subscription_fee_pct numeric(5, 2) check (subscription_fee_pct between 0 and 10),
  redemption_fee_pct numeric(5, 2) check (redemption_fee_pct between 0 and 10),
  switching_fee_pct numeric(5, 2) check (switching_fee_pct between 0 and 10),
  nav numeric(20, 4) check (nav > 0),
  nav_date date,
  active boolean not null default true,
  updated_at timestamptz not null default now()
);
create index product_house_active on product (product_house, code) where active;

insert into product (code, name, product_house, type, risk_level, min_subscription, min_redemption_units,
                     subscription_fee_pct, redemption_fee_pct, switching_fee_pct, nav, nav_date) values
  ('MMF-KAS', 'Dana Kas Likuid', 'Nusantara Asset Management', 'MONEY_MARKET', 1, 10000, 0, 0, 0, 0, 1823.4417, date '2026-11-20'),
  ('FIF-OBLIGASI', 'Dana Obligasi Negara Plus', 'Nusantara Asset Management', 'FIXED_INCOME', 2, 100000, 10, 1, 0.5, 0.5, 2456.1032, date '2026-11-20'),
  ('BAL-SEIMBANG', 'Dana Seimbang Dinamis', 'Nusantara Asset Management', 'BALANCED', 3, 100000, 10, 1.5, 1, 0.5, 3120.7785, date '2026-11-20'),
  ('EQF-SAHAM', 'Dana Saham Unggulan', 'Nusantara Asset Management', 'EQUITY', 4, 100000, 10, 2, 1, 1, 4987.2210, date '2026-11-20'),
  ('EQF-SYARIAH', 'Dana Saham Syariah Berkembang', 'Nusantara Asset Management', 'EQUITY', 5, 100000, 10, 2, 1, 1, 1345.6620, date '2026-11-20'),
  ('MMF-PASAR-UANG', 'Pasar Uang Prima', 'Garuda Investasi', 'MONEY_MARKET', 1, 10000, 0, 0, 0, 0, 1502.9981, date '2026-11-20'),
  ('FIF-SUKUK', 'Sukuk Pendapatan Tetap', 'Garuda Investasi', 'FIXED_INCOME', 2, 50000, 10, 0.5, 0, 0, 1210.5528, date '2026-11-20'),
  ('EQF-INDEKS', 'Indeks LQ45 Garuda', 'Garuda Investasi', 'EQUITY', 4, 100000, 10, 1, 0.5, 0.5, 987.3309, date '2026-11-20');

create table instruction (
  id uuid primary key default gen_random_uuid(),
  company_id bigint not null references auth_company (id),
  investor_id uuid not null references investor (id),
  agent_id bigint not null references auth_user (id),
  type text not null check (type in ('SUBSCRIPTION', 'REDEMPTION', 'SWITCHING')),
  product_code text not null references product (code),
  target_product_code text references product (code),
  amount numeric(20, 2) check (amount > 0),
  units numeric(20, 4) check (units > 0),
  bank_account_id bigint references investor_bank_account (id),
  -- The fee as the product published it when the instruction was made (percent), null when unknown.
  fee_pct numeric(5, 2),
  -- The product's risk against the investor's profile; the acknowledgement when the RM recorded one.
  suitability jsonb not null,
  status text not null default 'PENDING_SIGNATURE' check (status in
    ('PENDING_SIGNATURE', 'SIGNED', 'REJECTED_BY_INVESTOR', 'EXPIRED', 'CANCELLED', 'SUBMITTED', 'COMPLETED', 'FAILED')),
  link_expires_at timestamptz not null,
  signed_at timestamptz,
  investor_reason text check (length(investor_reason) <= 500),
  cancelled_by bigint references auth_user (id),
  cancelled_at timestamptz,
  cancel_reason text check (length(cancel_reason) <= 500),
  external_id text check (external_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  failure_reason text check (length(failure_reason) <= 500),
  created_by bigint references auth_user (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint instruction_subscription check (type <> 'SUBSCRIPTION' or (amount is not null and units is null and target_product_code is null)),
  constraint instruction_redemption check (type <> 'REDEMPTION' or ((amount is null) <> (units is null) and bank_account_id is not null and target_product_code is null)),
  constraint instruction_switching check (type <> 'SWITCHING' or ((amount is null) <> (units is null) and target_product_code is not null and target_product_code <> product_code)),
  constraint instruction_signed check ((status in ('SIGNED', 'SUBMITTED', 'COMPLETED', 'FAILED')) = (signed_at is not null)),
  constraint instruction_cancelled check ((status = 'CANCELLED') = (cancelled_at is not null)),
  constraint instruction_rejected check ((status = 'REJECTED_BY_INVESTOR') = (investor_reason is not null))
);
-- GET /crm/instructions pages newest first: per company (admins), per agent (agents), per status, per investor.
create index instruction_company_created on instruction (company_id, created_at desc, id desc);
create index instruction_company_agent_created on instruction (company_id, agent_id, created_at desc, id desc);
create index instruction_company_status_created on instruction (company_id, status, created_at desc, id desc);
create index instruction_investor_created on instruction (investor_id, created_at desc, id desc);
-- The expiry job reads only the pending ones whose link ran out.
create index instruction_pending_expiry on instruction (link_expires_at) where status = 'PENDING_SIGNATURE';
create unique index instruction_company_external_id on instruction (company_id, external_id) where external_id is not null;
create trigger instruction_touch before update on instruction for each row execute function app.touch_updated_at();

-- An investor's emailed links: 256-bit random tokens, only the SHA-256 kept; one purpose, one subject, single
-- use, expiring. A fresh link revokes the previous one.
create table instruction_token (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  instruction_id uuid not null references instruction (id),
  purpose text not null default 'SIGNATURE' check (purpose in ('SIGNATURE')),
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz,
  created_by bigint references auth_user (id),
  created_at timestamptz not null default now()
);
create index instruction_token_instruction on instruction_token (instruction_id) where used_at is null and revoked_at is null;

create table investor_token (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  investor_id uuid not null references investor (id),
  purpose text not null default 'REMOTE_REGISTRATION' check (purpose in ('REMOTE_REGISTRATION')),
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz,
  created_by bigint references auth_user (id),
  created_at timestamptz not null default now()
);
create index investor_token_investor on investor_token (investor_id) where used_at is null and revoked_at is null;

-- What the investor decided, with the evidence: when, from where, with which second factor, the drawn
-- signature (an object in storage), and the SHA-256 of the canonical JSON of the instruction as shown.
create table instruction_signature (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  instruction_id uuid not null unique references instruction (id),
  decision text not null check (decision in ('APPROVE', 'REJECT')),
  reason text check (length(reason) <= 500),
  document jsonb not null,
  document_hash text not null check (document_hash ~ '^[0-9a-f]{64}$'),
  signature_object_key text,
  ip inet,
  user_agent text check (length(user_agent) <= 512),
  otp_id uuid not null,
  otp_channel text not null check (otp_channel in ('SMS', 'EMAIL')),
  decided_at timestamptz not null default now(),
  constraint instruction_signature_drawn check ((decision = 'APPROVE') = (signature_object_key is not null))
);

-- The investor's step-up codes live with the others in auth_ott: no user, bound to the link (subject) and to
-- the browser that asked (device_id holds a hash of its link-session cookie).
alter table auth_ott drop constraint auth_ott_purpose_check;
alter table auth_ott add constraint auth_ott_purpose_check check (purpose in
  ('REGISTER', 'NEW_DEVICE', 'RESET_PASSWORD', 'CHANGE_PHONE', 'CHANGE_EMAIL', 'INVESTOR_SIGNATURE', 'INVESTOR_REGISTRATION'));
alter table auth_ott add column subject text check (length(subject) <= 100);
create index auth_ott_subject on auth_ott (subject, created_at desc) where subject is not null;

-- A public link names its tenant: this one look-up (by the token's hash) runs before any tenant is known;
-- the rest of the request runs as that tenant under RLS.
create function app.investor_link(hash text) returns table (kind text, token_id bigint, company_id bigint)
language sql stable security definer set search_path = pg_catalog, public as $$
  select 'instruction', t.id, t.company_id from instruction_token t where t.token_hash = hash
  union all
  select 'investor', t.id, t.company_id from investor_token t where t.token_hash = hash
$$;
revoke all on function app.investor_link(text) from public;
grant execute on function app.investor_link(text) to rmtools_app;

-- The expiry job (every tenant): which pending instructions' links ran out. Each is then expired as its tenant.
create function app.expired_instruction_links(max_rows integer) returns table (id uuid, company_id bigint)
language sql stable security definer set search_path = pg_catalog, public as $$
  select i.id, i.company_id from instruction i
   where i.status = 'PENDING_SIGNATURE' and i.link_expires_at <= now()
   order by i.link_expires_at
   limit max_rows
$$;
revoke all on function app.expired_instruction_links(integer) from public;
grant execute on function app.expired_instruction_links(integer) to rmtools_app;

create trigger instruction_audit after insert or update or delete on instruction
  for each row execute function app.audit_row('instruction', 'company_id', 'updated_at');
create trigger instruction_token_audit after insert or update or delete on instruction_token
  for each row execute function app.audit_row('instruction_token', 'company_id', 'token_hash');
create trigger investor_token_audit after insert or update or delete on investor_token
  for each row execute function app.audit_row('investor_token', 'company_id', 'token_hash');
create trigger instruction_signature_audit after insert or update or delete on instruction_signature
  for each row execute function app.audit_row('instruction_signature', 'company_id', 'document');

alter table instruction enable row level security;
alter table instruction force row level security;
create policy instruction_tenant on instruction
  using ((select app.is_super_admin())
         or (company_id = any ((select app.company_ids())::bigint[]) and (not (select app.own_rows_only()) or agent_id = (select app.user_id()))))
  with check ((select app.is_super_admin())
         or (company_id = any ((select app.company_ids())::bigint[]) and (not (select app.own_rows_only()) or agent_id = (select app.user_id()))));

do $$
declare t text;
begin
  foreach t in array array['instruction_token', 'instruction_signature'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format(
      'create policy %I on %I
         using ((select app.is_super_admin())
                or (company_id = any ((select app.company_ids())::bigint[])
                    and (not (select app.own_rows_only()) or exists (select 1 from instruction i where i.id = instruction_id))))
         with check ((select app.is_super_admin())
                or (company_id = any ((select app.company_ids())::bigint[])
                    and (not (select app.own_rows_only()) or exists (select 1 from instruction i where i.id = instruction_id))))',
      t || '_tenant', t);
  end loop;
  alter table investor_token enable row level security;
  alter table investor_token force row level security;
  create policy investor_token_tenant on investor_token
    using ((select app.is_super_admin())
           or (company_id = any ((select app.company_ids())::bigint[])
               and (not (select app.own_rows_only()) or exists (select 1 from investor i where i.id = investor_id))))
    with check ((select app.is_super_admin())
           or (company_id = any ((select app.company_ids())::bigint[])
               and (not (select app.own_rows_only()) or exists (select 1 from investor i where i.id = investor_id))));
  foreach t in array array['instruction', 'instruction_token', 'investor_token', 'instruction_signature'] loop
    execute format('create policy %I on %I for select to rmtools_owner using (true)', t || '_owner_read', t);
  end loop;
end
$$;

grant select on product to rmtools_app;
grant select, insert, update on instruction, instruction_token, investor_token to rmtools_app;
-- Evidence is written once and never changed.
grant select, insert on instruction_signature to rmtools_app;
