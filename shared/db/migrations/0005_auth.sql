-- Auth (the seed's Auth µService): users, their companies, roles and permissions, sessions with rotating
-- refresh tokens, one-time user tokens, the login and password logs (the seed's trigger functions, fixed),
-- rate-limit counters, and the narrow SECURITY DEFINER look-ups the public flows start from.

-- Roles and the permissions they grant (ACL). Every private route names the permission it needs.
create table auth_role (
  code text primary key check (code in ('RM_AGENT', 'ADMIN', 'SUPER_ADMIN')),
  description text not null
);
create table auth_role_permission (
  role text not null references auth_role (code),
  permission text not null check (permission ~ '^[a-z]+:[a-z-]+$'),
  primary key (role, permission)
);
insert into auth_role (code, description) values
  ('RM_AGENT', 'Sales agent using the mobile app'),
  ('ADMIN', 'Back-office administrator of one or more companies'),
  ('SUPER_ADMIN', 'Operator of the whole platform');
insert into auth_role_permission (role, permission)
select r.code, p.permission
  from auth_role r
 cross join (values ('profile:read'), ('profile:write')) as p (permission);
grant select on auth_role, auth_role_permission to rmtools_app;

create table auth_user (
  id bigint generated always as identity primary key,
  -- The tenant the user belongs to; admins may act in more companies (auth_user_company).
  company_id bigint not null references auth_company (id),
  fullname text not null check (length(fullname) between 2 and 200),
  email text not null check (email = lower(email) and length(email) between 3 and 320),
  phone text not null check (phone ~ '^\+[1-9][0-9]{7,14}$'),
  role text not null references auth_role (code),
  status text not null default 'PENDING_VERIFICATION'
    check (status in ('PENDING_VERIFICATION', 'PENDING_APPROVAL', 'ACTIVE', 'REJECTED', 'INACTIVE')),
  -- argon2id PHC string; null for an invited user who has not chosen a password yet.
  password_hash text,
  locale text not null default 'id' check (locale in ('id', 'en')),
  login_fail_count integer not null default 0,
  locked_until timestamptz,
  last_login timestamptz,
  last_failed_login timestamptz,
  password_changed_at timestamptz,
  phone_verified_at timestamptz,
  email_verified_at timestamptz,
  approved_by bigint,
  approved_at timestamptz,
  rejected_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by bigint,
  updated_by bigint
);
-- Email and phone identify a user across tenants (login takes either without a company).
create unique index auth_user_email on auth_user (email);
create unique index auth_user_phone on auth_user (phone);
create index auth_user_by_company on auth_user (company_id, status, id);
create index auth_user_unverified on auth_user (created_at) where status = 'PENDING_VERIFICATION';
create trigger auth_user_touch before update on auth_user for each row execute function app.touch_updated_at();

-- The companies a user may act in (an RM: its own; an admin: one or more).
create table auth_user_company (
  user_id bigint not null references auth_user (id) on delete cascade,
  company_id bigint not null references auth_company (id),
  created_at timestamptz not null default now(),
  primary key (user_id, company_id)
);
create index auth_user_company_company on auth_user_company (company_id, user_id);

-- Now that users exist, the notify tables' user ids get their foreign keys.
alter table auth_ott add constraint auth_ott_user_fk foreign key (user_id) references auth_user (id) on delete cascade;
alter table device_info add constraint device_info_user_fk foreign key (user_id) references auth_user (id) on delete cascade;
alter table notification add constraint notification_user_fk foreign key (user_id) references auth_user (id) on delete cascade;

-- A login on one device: the refresh-token family. Revoking the session kills every token of the family.
create table auth_session (
  id uuid primary key default gen_random_uuid(),
  company_id bigint not null references auth_company (id),
  user_id bigint not null references auth_user (id) on delete cascade,
  device_id text not null,
  ip inet,
  user_agent text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  -- Absolute lifetime; the idle lifetime is measured from last_used_at.
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason in
    ('LOGOUT', 'REFRESH_REUSED', 'PASSWORD_CHANGED', 'PASSWORD_RESET', 'REVOKED_BY_USER', 'DEACTIVATED', 'EXPIRED'))
);
create index auth_session_user on auth_session (user_id, created_at desc) where revoked_at is null;

create table auth_refresh_token (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  session_id uuid not null references auth_session (id) on delete cascade,
  -- SHA-256 of a 256-bit random token: the token itself is never stored.
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  used_at timestamptz
);
create index auth_refresh_token_session on auth_refresh_token (session_id);

-- Single-use tokens handed to a user outside a session: reset-password now, set-password invites later.
create table auth_user_token (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  user_id bigint not null references auth_user (id) on delete cascade,
  purpose text not null check (purpose in ('RESET_PASSWORD', 'SET_PASSWORD')),
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index auth_user_token_user on auth_user_token (user_id, purpose) where used_at is null;

-- The seed's auth_login_log and auth_password_log, written by triggers below.
create table auth_login_log (
  id bigint generated always as identity primary key,
  company_id bigint not null,
  user_id bigint not null references auth_user (id) on delete cascade,
  device_id text,
  ip inet,
  login_status text not null check (login_status in ('OK', 'FAIL')),
  created_at timestamptz not null default now()
);
create index auth_login_log_user on auth_login_log (user_id, created_at desc);

create table auth_password_log (
  id bigint generated always as identity primary key,
  company_id bigint not null,
  user_id bigint not null references auth_user (id) on delete cascade,
  pwd_hash text not null,
  created_at timestamptz not null default now(),
  created_by bigint
);
create index auth_password_log_user on auth_password_log (user_id, created_at desc, id desc);

-- Decoy one-time tokens for reset requests naming nobody: verify and resend behave exactly as for a real
-- user, so the answers never reveal whether an account exists. Holds only the masked destination.
create table auth_ott_decoy (
  id uuid primary key,
  channel text not null check (channel in ('SMS', 'EMAIL')),
  destination_masked text not null,
  -- Keyed hash of the identifier: resends count against the same hourly cap a real destination has.
  destination_key text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index auth_ott_decoy_expired on auth_ott_decoy (expires_at);

-- Fixed-window counters shared by every instance. Keys carry keyed hashes, never raw identifiers.
create table rate_limit (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  expires_at timestamptz not null,
  primary key (key, window_start)
);
create index rate_limit_expired on rate_limit (expires_at);
grant select, insert, update, delete on rate_limit, auth_ott_decoy to rmtools_app;

-- The seed's auth_login_log_function, fixed: device and IP from the transaction settings, tenant kept.
create function app.log_login() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
  if new.last_login is distinct from old.last_login then
    insert into auth_login_log (company_id, user_id, device_id, ip, login_status)
    values (new.company_id, new.id, nullif(current_setting('app.device_id', true), ''), app.client_ip(), 'OK');
  end if;
  if new.login_fail_count = old.login_fail_count + 1 then
    insert into auth_login_log (company_id, user_id, device_id, ip, login_status)
    values (new.company_id, new.id, nullif(current_setting('app.device_id', true), ''), app.client_ip(), 'FAIL');
  end if;
  return null;
end
$$;
create trigger auth_user_login_log after update of last_login, login_fail_count on auth_user
  for each row execute function app.log_login();

-- The seed's auth_password_log_function, fixed: it logged nothing once five rows existed. Every new hash is
-- logged and only the newest five are kept, which is what the reuse check reads.
create function app.log_password() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
  if new.password_hash is not null and (tg_op = 'INSERT' or new.password_hash is distinct from old.password_hash) then
    insert into auth_password_log (company_id, user_id, pwd_hash, created_by)
    values (new.company_id, new.id, new.password_hash, app.user_id());
    delete from auth_password_log
     where user_id = new.id
       and id not in (select id from auth_password_log where user_id = new.id order by created_at desc, id desc limit 5);
  end if;
  return null;
end
$$;
create trigger auth_user_password_log after insert or update of password_hash on auth_user
  for each row execute function app.log_password();
revoke all on function app.log_login(), app.log_password() from public;

-- The audit trigger learns to leave columns out: TG_ARGV[2..] name columns that never reach the log
-- (password hashes, counters that change on every login).
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
    -- Tables without an id of their own (memberships) are filed under their user.
    coalesce(subject ->> 'id', subject ->> 'user_id'),
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

create trigger auth_user_audit after insert or delete or update of
    company_id, fullname, email, phone, role, status, approved_by, approved_at, rejected_reason, locale
  on auth_user
  for each row execute function app.audit_row(
    'user', 'company_id', 'password_hash', 'login_fail_count', 'locked_until', 'last_login', 'last_failed_login', 'updated_at');
create trigger auth_user_company_audit after insert or delete on auth_user_company
  for each row execute function app.audit_row('user_company', 'company_id');

-- Row level security. A user row is visible to its home company, to the companies it is a member of (an
-- admin of several), to the user itself and to super admins; it is written only within its home company.
alter table auth_user enable row level security;
alter table auth_user force row level security;
create policy auth_user_tenant on auth_user
  using ((select app.is_super_admin()) or id = (select app.user_id()) or company_id = any ((select app.company_ids())::bigint[])
         or exists (select 1 from auth_user_company m
                     where m.user_id = auth_user.id and m.company_id = any ((select app.company_ids())::bigint[])))
  with check ((select app.is_super_admin()) or company_id = any ((select app.company_ids())::bigint[]));

alter table auth_user_company enable row level security;
alter table auth_user_company force row level security;
create policy auth_user_company_tenant on auth_user_company
  using ((select app.is_super_admin()) or user_id = (select app.user_id()) or company_id = any ((select app.company_ids())::bigint[]))
  with check ((select app.is_super_admin()) or company_id = any ((select app.company_ids())::bigint[]));

do $$
declare t text;
begin
  foreach t in array array['auth_session', 'auth_refresh_token', 'auth_user_token', 'auth_login_log', 'auth_password_log'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format(
      'create policy %I on %I using (company_id = any ((select app.company_ids())::bigint[])) with check (company_id = any ((select app.company_ids())::bigint[]))',
      t || '_tenant', t);
  end loop;
  -- The owner runs the SECURITY DEFINER look-ups and the log triggers; FORCE'd RLS applies to it too.
  foreach t in array array['auth_user', 'auth_user_company', 'auth_ott', 'auth_session', 'auth_refresh_token', 'auth_user_token', 'auth_password_log'] loop
    execute format('create policy %I on %I for select to rmtools_owner using (true)', t || '_owner_read', t);
  end loop;
  foreach t in array array['auth_login_log', 'auth_password_log'] loop
    execute format('create policy %I on %I for insert to rmtools_owner with check (true)', t || '_owner_append', t);
  end loop;
  execute 'create policy auth_password_log_owner_prune on auth_password_log for delete to rmtools_owner using (true)';
end
$$;

grant select, insert, update, delete on auth_user, auth_user_company to rmtools_app;
grant select, insert, update on auth_session, auth_refresh_token, auth_user_token to rmtools_app;
grant select on auth_login_log, auth_password_log to rmtools_app;

-- Public flows start without a tenant: these look-ups map one unguessable or identifying key to the
-- (user, company) the rest of the request then runs as, under RLS. Each returns nothing else.
create function app.login_subject(identifier text) returns table (user_id bigint, company_id bigint)
language sql stable security definer set search_path = pg_catalog, public as $$
  select u.id, u.company_id from auth_user u where u.email = lower(identifier)
  union all
  select u.id, u.company_id from auth_user u where u.phone = identifier
  limit 1
$$;

create function app.ott_subject(ott_id uuid) returns table (user_id bigint, company_id bigint)
language sql stable security definer set search_path = pg_catalog, public as $$
  select o.user_id, o.company_id from auth_ott o where o.id = ott_id and o.user_id is not null
$$;

create function app.refresh_subject(hash text) returns table (user_id bigint, company_id bigint)
language sql stable security definer set search_path = pg_catalog, public as $$
  select s.user_id, s.company_id
    from auth_refresh_token t join auth_session s on s.id = t.session_id
   where t.token_hash = hash
$$;

create function app.user_token_subject(hash text) returns table (user_id bigint, company_id bigint)
language sql stable security definer set search_path = pg_catalog, public as $$
  select t.user_id, t.company_id from auth_user_token t where t.token_hash = hash
$$;

create function app.identifiers_taken(email text, phone text)
returns table (email_taken boolean, phone_taken boolean)
language sql stable security definer set search_path = pg_catalog, public as $$
  select exists (select 1 from auth_user u where u.email = lower(identifiers_taken.email)),
         exists (select 1 from auth_user u where u.phone = identifiers_taken.phone)
$$;

-- What an access token stands for right now, checked on every private request so that a revoked session,
-- a deactivated user or tenant stops working at once, not when the 15-minute token expires.
-- plpgsql, not sql: its plan is prepared once per connection, where a SQL function body is planned on every
-- call (that planning was most of the cost of a private request).
create function app.session_principal(session_id uuid, user_id bigint)
returns table (role text, company_ids bigint[], permissions text[])
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
  return query
  select u.role,
         case when u.role = 'SUPER_ADMIN'
           then array(select c.id from auth_company c where c.status = 'ACTIVE' order by c.id)
           else array(select m.company_id from auth_user_company m join auth_company c on c.id = m.company_id
                       where m.user_id = u.id and c.status = 'ACTIVE' order by m.company_id)
         end,
         array(select p.permission from auth_role_permission p where p.role = u.role order by p.permission)
    from auth_session s
    join auth_user u on u.id = s.user_id
    join auth_company home on home.id = u.company_id
   where s.id = session_principal.session_id
     and s.user_id = session_principal.user_id
     and s.revoked_at is null
     and s.expires_at > now()
     and u.status = 'ACTIVE'
     and home.status = 'ACTIVE';
end
$$;

revoke all on function app.login_subject(text), app.ott_subject(uuid), app.refresh_subject(text),
  app.user_token_subject(text), app.identifiers_taken(text, text), app.session_principal(uuid, bigint) from public;
grant execute on function app.login_subject(text), app.ott_subject(uuid), app.refresh_subject(text),
  app.user_token_subject(text), app.identifiers_taken(text, text), app.session_principal(uuid, bigint) to rmtools_app;

-- Housekeeping across tenants (the scheduled purgeAuthRecords function): expired codes, tokens, sessions
-- and counters, and registrations never verified (so nobody can squat an email or phone for long).
create function app.purge_auth_records(unverified_after interval)
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
end
$$;
do $$
declare t text;
begin
  foreach t in array array['auth_ott', 'auth_user_token', 'auth_session', 'auth_user'] loop
    execute format('create policy %I on %I for delete to rmtools_owner using (true)', t || '_owner_purge', t);
  end loop;
end
$$;
revoke all on function app.purge_auth_records(interval) from public;
grant execute on function app.purge_auth_records(interval) to rmtools_app;

-- A push token belongs to one device. When a phone changes hands (possibly to another company's user), the
-- token is taken from every other user, whatever their tenant. Touches only rows holding that exact token.
create function app.release_push_token(token text, keep_user bigint) returns void
language sql volatile security definer set search_path = pg_catalog, public as $$
  update device_info set push_token = null where push_token = token and user_id <> keep_user
$$;
create policy device_info_owner_release on device_info for select to rmtools_owner using (true);
create policy device_info_owner_release_update on device_info for update to rmtools_owner using (true) with check (true);
revoke all on function app.release_push_token(text, bigint) from public;
grant execute on function app.release_push_token(text, bigint) to rmtools_app;
