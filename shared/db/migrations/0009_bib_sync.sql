-- Bib integration (functions/bib-sync, crm's webhook and proxy): per-record sync bookkeeping on investors and
-- instructions, Bib's order status on instructions, the pull watermark, webhook event dedupe. Bib now owns the
-- product catalogue (served through the Firestore cache), so the seeded product table goes; an instruction
-- keeps the names of the funds as they were when it was made.

-- Per record: how often the push was tried, when it may be tried next (exponential backoff with full jitter),
-- why it last failed, and a short lease that keeps two overlapping runs off the same record.
alter table investor
  add column sync_attempts integer not null default 0 check (sync_attempts >= 0),
  add column sync_next_at timestamptz,
  add column sync_error text check (length(sync_error) <= 500),
  add column sync_claimed_until timestamptz,
  add column synced_at timestamptz;

alter table instruction
  add column sync_status text not null default 'NOT_READY' check (sync_status in ('NOT_READY', 'PENDING', 'SYNCED', 'FAILED')),
  add column sync_attempts integer not null default 0 check (sync_attempts >= 0),
  add column sync_next_at timestamptz,
  add column sync_error text check (length(sync_error) <= 500),
  add column sync_claimed_until timestamptz,
  add column synced_at timestamptz,
  -- Bib's order: its status and the order's version, which only grows; an older event never overwrites a newer.
  add column bib_order_status text check (bib_order_status in ('RECEIVED', 'PROCESSING', 'COMPLETED', 'REJECTED')),
  add column bib_order_version integer check (bib_order_version >= 0),
  add column bib_order_updated_at timestamptz,
  -- The funds as the instruction was made: what the investor signs for, whatever Bib's catalogue says later.
  add column product_name text,
  add column product_house text check (length(product_house) between 1 and 200),
  add column product_type text check (product_type in ('MONEY_MARKET', 'FIXED_INCOME', 'BALANCED', 'EQUITY')),
  add column product_risk_level integer check (product_risk_level between 1 and 5),
  add column target_product_name text,
  add column target_product_house text check (length(target_product_house) between 1 and 200),
  add column target_product_type text check (target_product_type in ('MONEY_MARKET', 'FIXED_INCOME', 'BALANCED', 'EQUITY')),
  add column target_product_risk_level integer check (target_product_risk_level between 1 and 5);

update instruction i set product_name = p.name, product_house = p.product_house, product_type = p.type, product_risk_level = p.risk_level
  from product p where p.code = i.product_code;
update instruction i set target_product_name = p.name, target_product_house = p.product_house, target_product_type = p.type,
       target_product_risk_level = p.risk_level
  from product p where p.code = i.target_product_code;
update instruction set sync_status = 'PENDING' where status = 'SIGNED';
update instruction set sync_status = 'SYNCED' where status in ('SUBMITTED', 'COMPLETED', 'FAILED');
alter table instruction alter column product_name set not null;
alter table instruction add constraint instruction_product_name check (length(product_name) between 1 and 200);
alter table instruction add constraint instruction_target_product_name check (
  (target_product_code is null) = (target_product_name is null) and length(target_product_name) between 1 and 200);
alter table instruction drop constraint instruction_product_code_fkey;
alter table instruction drop constraint instruction_target_product_code_fkey;
drop table product;

-- What each run looks for: due records only, oldest due first.
create index investor_sync_due on investor (sync_next_at nulls first)
  where status = 'APPROVED' and external_id is null and sync_status = 'PENDING';
create index instruction_sync_due on instruction (sync_next_at nulls first)
  where status = 'SIGNED' and sync_status = 'PENDING';
-- Bib's orders name our instruction; its order id is looked up by webhooks too.
create index instruction_external_id on instruction (external_id) where external_id is not null;

-- A retry changes only bookkeeping: keep it out of the audit trail (the outcome, an external id or a status,
-- is audited). Same triggers as 0007/0008 with those columns hidden.
drop trigger investor_audit on investor;
create trigger investor_audit after insert or update or delete on investor
  for each row execute function app.audit_row('investor', 'company_id', 'id_number_hash', 'updated_at',
    'sync_attempts', 'sync_next_at', 'sync_error', 'sync_claimed_until');
drop trigger instruction_audit on instruction;
create trigger instruction_audit after insert or update or delete on instruction
  for each row execute function app.audit_row('instruction', 'company_id', 'updated_at',
    'sync_attempts', 'sync_next_at', 'sync_error', 'sync_claimed_until');

-- The claims below run as the owner, whose row security on these tables (forced) allowed reading only: they
-- may also update, to write the lease.
create policy investor_owner_claim on investor for update to rmtools_owner using (true) with check (true);
create policy instruction_owner_claim on instruction for update to rmtools_owner using (true) with check (true);

-- Claims span tenants, so they are SECURITY DEFINER: each takes up to max_rows due records that no other run
-- holds (FOR UPDATE SKIP LOCKED), leases them for lease_seconds and returns them; the push itself then runs
-- as the record's tenant under RLS. Named records (an admin's "sync now") are due whatever their backoff says,
-- FAILED ones included. A company scope limits the claim to one tenant.
create function app.claim_bib_investors(max_rows integer, lease_seconds integer, only_company bigint, only_ids uuid[])
returns table (id uuid, company_id bigint)
language sql volatile security definer set search_path = pg_catalog, public as $$
  update investor i set sync_claimed_until = now() + make_interval(secs => lease_seconds)
   where i.id in (
     select c.id from investor c
      where c.status = 'APPROVED' and c.external_id is null
        and (c.sync_claimed_until is null or c.sync_claimed_until < now())
        and (only_company is null or c.company_id = only_company)
        and (case when only_ids is null
                  then c.sync_status = 'PENDING' and (c.sync_next_at is null or c.sync_next_at <= now())
                  else c.id = any (only_ids) and c.sync_status in ('PENDING', 'FAILED') end)
      order by c.sync_next_at nulls first
      limit max_rows
      for update skip locked)
  returning i.id, i.company_id
$$;
revoke all on function app.claim_bib_investors(integer, integer, bigint, uuid[]) from public;
grant execute on function app.claim_bib_investors(integer, integer, bigint, uuid[]) to rmtools_app;

create function app.claim_bib_instructions(max_rows integer, lease_seconds integer, only_company bigint, only_ids uuid[])
returns table (id uuid, company_id bigint)
language sql volatile security definer set search_path = pg_catalog, public as $$
  update instruction i set sync_claimed_until = now() + make_interval(secs => lease_seconds)
   where i.id in (
     select c.id from instruction c
      where c.status = 'SIGNED'
        and (c.sync_claimed_until is null or c.sync_claimed_until < now())
        and (only_company is null or c.company_id = only_company)
        and (case when only_ids is null
                  then c.sync_status = 'PENDING' and (c.sync_next_at is null or c.sync_next_at <= now())
                  else c.id = any (only_ids) and c.sync_status in ('PENDING', 'FAILED') end)
      order by c.sync_next_at nulls first
      limit max_rows
      for update skip locked)
  returning i.id, i.company_id
$$;
revoke all on function app.claim_bib_instructions(integer, integer, bigint, uuid[]) from public;
grant execute on function app.claim_bib_instructions(integer, integer, bigint, uuid[]) to rmtools_app;

-- Bib's orders carry our instruction id: which tenant it belongs to (webhook and pull run before any tenant
-- is known; the update then runs as that tenant).
create function app.bib_order_instruction(instruction_id uuid) returns table (id uuid, company_id bigint)
language sql stable security definer set search_path = pg_catalog, public as $$
  select i.id, i.company_id from instruction i where i.id = instruction_id
$$;
revoke all on function app.bib_order_instruction(uuid) from public;
grant execute on function app.bib_order_instruction(uuid) to rmtools_app;

-- Small named state of the sync: the pull's watermark (Bib's updatedAt of the last order applied).
create table bib_sync_state (
  name text primary key check (name ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  value text not null,
  updated_at timestamptz not null default now()
);

-- Webhook events seen (by Bib's event id): a replay or a duplicate delivery changes nothing. Kept 30 days.
create table bib_webhook_event (
  event_id text primary key check (length(event_id) between 1 and 200),
  order_id text,
  instruction_id uuid,
  outcome text not null,
  received_at timestamptz not null default now()
);
create index bib_webhook_event_received on bib_webhook_event (received_at);

grant select, insert, update on bib_sync_state to rmtools_app;
grant select, insert on bib_webhook_event to rmtools_app;

-- Bib's webhook events are kept 30 days: the hourly purgeAuthRecords removes older ones (a replay that old is
-- refused by its signature's timestamp anyway). The function of 0005 with one more delete.
create or replace function app.purge_auth_records(unverified_after interval)
returns table (kind text, removed bigint)
language plpgsql security definer set search_path = pg_catalog, public as $$
declare n bigint;
begin
  delete from auth_ott where expires_at < now() - interval '1 day';
  get diagnostics n = row_count; kind := 'ott'; removed := n; return next;
  delete from auth_ott_decoy where expires_at < now() - interval '1 day';
  get diagnostics n = row_count; kind := 'ott_decoy'; removed := n; return next;
  delete from auth_user_token where expires_at < now() - interval '1 day';
  get diagnostics n = row_count; kind := 'user_token'; removed := n; return next;
  delete from auth_session where expires_at < now() - interval '1 day' or revoked_at < now() - interval '30 days';
  get diagnostics n = row_count; kind := 'session'; removed := n; return next;
  delete from rate_limit where expires_at < now();
  get diagnostics n = row_count; kind := 'rate_limit'; removed := n; return next;
  delete from auth_user where status = 'PENDING_VERIFICATION' and created_at < now() - unverified_after;
  get diagnostics n = row_count; kind := 'unverified_user'; removed := n; return next;
  delete from bib_webhook_event where received_at < now() - interval '30 days';
  get diagnostics n = row_count; kind := 'bib_webhook_event'; removed := n; return next;
end
$$;
