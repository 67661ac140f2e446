-- Platform: settings helpers for RLS and audit, the audit log and its trigger, tenants, and the event outbox.
-- Runs as rmtools_owner. The app role (rmtools_app) gets only what is granted here.

create schema app;
grant usage on schema app to rmtools_app;

-- Transaction-local settings written by the transaction helper (shared/db/tx.ts). Policies call these
-- wrapped in (select ...) so Postgres evaluates them once per statement, not once per row.
create function app.company_ids() returns bigint[]
language sql stable parallel safe as $$
  select coalesce(
    string_to_array(nullif(current_setting('app.company_ids', true), ''), ',')::bigint[],
    '{}'::bigint[]
  )
$$;

create function app.user_id() returns bigint
language sql stable parallel safe as $$
  select nullif(current_setting('app.user_id', true), '')::bigint
$$;

create function app.client_ip() returns inet
language sql stable parallel safe as $$
  select nullif(current_setting('app.ip', true), '')::inet
$$;

create function app.is_super_admin() returns boolean
language sql stable parallel safe as $$
  select coalesce(current_setting('app.super_admin', true), 'off') = 'on'
$$;

grant execute on all functions in schema app to rmtools_app;

-- Keeps updated_at honest whatever the caller sends.
create function app.touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Tenants (the seed's auth_company).
create table auth_company (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
  name text not null check (length(name) between 2 and 200),
  status text not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by bigint,
  updated_by bigint
);
create index auth_company_active_name on auth_company (name, id) where status = 'ACTIVE';
create trigger auth_company_touch before update on auth_company
  for each row execute function app.touch_updated_at();

-- The seed's auth_user_action_log, with the seed's hard-coded '127.0.0.1' and entity name fixed: actor and
-- client IP come from the transaction settings, the entity from the trigger's argument.
create table auth_user_action_log (
  id bigint generated always as identity primary key,
  company_id bigint,
  entity text not null,
  entity_id text not null,
  action_name text not null check (action_name in ('add', 'update', 'delete')),
  actor_id bigint,
  user_ip inet,
  prev_entity_value jsonb,
  new_entity_value jsonb,
  created_at timestamptz not null default now()
);
create index auth_user_action_log_company_time on auth_user_action_log (company_id, created_at desc, id desc);
create index auth_user_action_log_entity on auth_user_action_log (entity, entity_id, created_at desc, id desc);
create index auth_user_action_log_actor on auth_user_action_log (actor_id, created_at desc, id desc);

-- One trigger function for every audited table. TG_ARGV[0] = entity name, TG_ARGV[1] = the column holding
-- the tenant id. SECURITY DEFINER: the app role can cause audit rows but can neither write nor alter them.
create function app.audit_row() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  before_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  after_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
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
    subject ->> 'id',
    case tg_op when 'INSERT' then 'add' when 'UPDATE' then 'update' else 'delete' end,
    app.user_id(),
    app.client_ip(),
    before_row,
    after_row
  );
  return null;
end
$$;
revoke all on function app.audit_row() from public;

create trigger auth_company_audit after insert or update or delete on auth_company
  for each row execute function app.audit_row('company', 'id');

-- Row level security, forced so even the owner's sessions obey it unless they bypass explicitly.
alter table auth_company enable row level security;
alter table auth_company force row level security;
-- The tenant list itself is public (GET /auth/companies); changing a tenant needs a super admin.
create policy auth_company_read on auth_company for select using (true);
create policy auth_company_insert on auth_company for insert with check ((select app.is_super_admin()));
create policy auth_company_update on auth_company for update
  using ((select app.is_super_admin()) or id = any ((select app.company_ids())::bigint[]))
  with check ((select app.is_super_admin()) or id = any ((select app.company_ids())::bigint[]));
grant select, insert, update on auth_company to rmtools_app;

alter table auth_user_action_log enable row level security;
alter table auth_user_action_log force row level security;
create policy auth_user_action_log_read on auth_user_action_log for select
  using ((select app.is_super_admin()) or company_id = any ((select app.company_ids())::bigint[]));
-- The trigger runs as the owner, which is subject to FORCE RLS too: it may only append.
create policy auth_user_action_log_append on auth_user_action_log for insert to rmtools_owner with check (true);
grant select on auth_user_action_log to rmtools_app;

-- Transactional outbox (DESIGN §6): written in the producer's transaction, published after commit,
-- swept by sweepOutbox when the immediate publish did not happen.
create table outbox (
  id uuid primary key default gen_random_uuid(),
  topic text not null,
  payload jsonb not null,
  attributes jsonb not null default '{}'::jsonb,
  company_id bigint,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  message_id text,
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz not null default now()
);
create index outbox_unpublished on outbox (next_attempt_at, created_at) where published_at is null;
grant select, insert, update on outbox to rmtools_app;

-- Consumer dedupe (at-least-once delivery, effect once): a consumer claims (consumer, event id) in the
-- same transaction as its effect.
create table processed_event (
  consumer text not null,
  event_id text not null,
  processed_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
grant select, insert on processed_event to rmtools_app;
