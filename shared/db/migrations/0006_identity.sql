-- Identity administration (the seed's /idty routes): the admin permissions, the RM agent's selling licence,
-- soft deletion of users, and the indexes the admin lists page through under RLS.

-- The ACL. Admins manage users and read the audit trail of their companies; super admins also manage tenants.
insert into auth_role_permission (role, permission)
select r.role, p.permission
  from (values ('ADMIN'), ('SUPER_ADMIN')) as r (role)
 cross join (values ('user:read'), ('user:write'), ('user:approve'), ('audit:read')) as p (permission)
union all
select 'SUPER_ADMIN', p.permission from (values ('company:read'), ('company:write')) as p (permission);

-- An RM agent sells only with a WAPERD licence (OJK): number and expiry, both or neither. Approval needs a
-- licence that has not expired; admins see an expired one in the user views.
alter table auth_user
  add column waperd_number text check (waperd_number ~ '^[A-Za-z0-9][A-Za-z0-9./ -]{2,63}$'),
  add column waperd_expires_on date,
  -- Users are never hard-deleted while audit rows name them: DELETE /idty/users/{id} deactivates the account
  -- and sets deleted_at, after which the admin views no longer show it.
  add column deleted_at timestamptz,
  add constraint auth_user_licence_complete check ((waperd_number is null) = (waperd_expires_on is null)),
  add constraint auth_user_deleted_inactive check (deleted_at is null or status = 'INACTIVE');

-- GET /idty/users pages each company by id (newest first), optionally by status: one index range per company.
drop index auth_user_by_company;
create index auth_user_company_id on auth_user (company_id, id) where deleted_at is null;
create index auth_user_company_status_id on auth_user (company_id, status, id) where deleted_at is null;

-- The audit trigger's column list grows by the new columns.
drop trigger auth_user_audit on auth_user;
create trigger auth_user_audit after insert or delete or update of
    company_id, fullname, email, phone, role, status, approved_by, approved_at, rejected_reason, locale,
    waperd_number, waperd_expires_on, deleted_at
  on auth_user
  for each row execute function app.audit_row(
    'user', 'company_id', 'password_hash', 'login_fail_count', 'locked_until', 'last_login', 'last_failed_login', 'updated_at');

-- Super admins page the whole trail; admins page it per company (auth_user_action_log_company_time).
create index auth_user_action_log_time on auth_user_action_log (created_at desc, id desc);

-- Super admins list every tenant, active or not.
create index auth_company_name on auth_company (name, id);

-- The app role reads the trail and nothing more: the audit trigger (SECURITY DEFINER) is its only writer.
revoke insert, update, delete, truncate on auth_user_action_log from rmtools_app;

-- The outbox holds tenant data (emails, phone numbers) too. Producers write their own tenant's events (or
-- platform events without a tenant); only the relay that publishes them (shared/events/outbox.ts,
-- app.relay = on) reads across tenants.
create function app.is_relay() returns boolean
language sql stable parallel safe as $$
  select coalesce(current_setting('app.relay', true), 'off') = 'on'
$$;
grant execute on function app.is_relay() to rmtools_app;
alter table outbox enable row level security;
alter table outbox force row level security;
create policy outbox_tenant on outbox
  using ((select app.is_relay()) or company_id is null or company_id = any ((select app.company_ids())::bigint[]))
  with check ((select app.is_relay()) or company_id is null or company_id = any ((select app.company_ids())::bigint[]));
-- Operators (the owner role) inspect and repair the queue directly.
create policy outbox_owner on outbox to rmtools_owner using (true) with check (true);

-- Users visible through a membership (an admin at home elsewhere who also acts in the caller's company):
-- asked per row only when the cheap tests fail, by a function the planner cannot inline. Inlined, the
-- EXISTS became a hashed subplan that read the whole membership table on every list query.
create function app.shares_company(user_id bigint) returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
  select exists (select 1 from auth_user_company m
                  where m.user_id = shares_company.user_id and m.company_id = any (app.company_ids()))
$$;
revoke all on function app.shares_company(bigint) from public;
grant execute on function app.shares_company(bigint) to rmtools_app;
drop policy auth_user_tenant on auth_user;
create policy auth_user_tenant on auth_user
  using (company_id = any ((select app.company_ids())::bigint[]) or id = (select app.user_id())
         or (select app.is_super_admin()) or app.shares_company(id))
  with check ((select app.is_super_admin()) or company_id = any ((select app.company_ids())::bigint[]));

-- An agent acts only in its home company, whatever memberships an earlier role as admin left behind in
-- companies its demoting admin could not see.
create or replace function app.session_principal(session_id uuid, user_id bigint)
returns table (role text, company_ids bigint[], permissions text[])
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
  return query
  select u.role,
         case u.role
           when 'SUPER_ADMIN' then array(select c.id from auth_company c where c.status = 'ACTIVE' order by c.id)
           when 'ADMIN' then array(select m.company_id from auth_user_company m join auth_company c on c.id = m.company_id
                                    where m.user_id = u.id and c.status = 'ACTIVE' order by m.company_id)
           else array[u.company_id]
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
