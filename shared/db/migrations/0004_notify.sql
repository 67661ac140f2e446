-- Delivery of OTP, email and push (functions/notify), and the seed's tables it reads and writes:
-- auth_ott (one-time codes), device_info (push tokens), notification (the in-app inbox). The auth issue
-- brings auth_user and the flows that create these rows; it adds the user foreign keys then.

create table auth_ott (
  id uuid primary key default gen_random_uuid(),
  company_id bigint not null references auth_company (id),
  user_id bigint,
  purpose text not null check (purpose in ('REGISTER', 'NEW_DEVICE', 'RESET_PASSWORD', 'CHANGE_PHONE', 'CHANGE_EMAIL', 'INVESTOR_SIGNATURE')),
  channel text not null check (channel in ('SMS', 'EMAIL')),
  destination text not null,
  -- Verification compares against the hash; the encrypted code exists only until notify delivered it.
  code_hash text not null,
  code_encrypted text,
  device_id text,
  locale text not null default 'id' check (locale in ('id', 'en')),
  attempts integer not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now()
);
create index auth_ott_user on auth_ott (user_id, purpose, created_at desc);
create index auth_ott_expired on auth_ott (expires_at) where code_encrypted is not null;

create table device_info (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  user_id bigint not null,
  device_id text not null check (length(device_id) between 1 and 200),
  platform text check (platform in ('ANDROID', 'IOS', 'WEB')),
  device_name text,
  push_token text,
  push_enabled boolean not null default true,
  trusted_at timestamptz,
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, device_id)
);
create index device_info_push on device_info (user_id) where push_enabled and push_token is not null;
create trigger device_info_touch before update on device_info for each row execute function app.touch_updated_at();

create table notification (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  user_id bigint not null,
  type text not null,
  title text not null,
  body text not null,
  data jsonb not null default '{}'::jsonb,
  -- The push.requested event that made it: a redelivered event cannot add a second row.
  event_id text not null,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  unique (event_id, user_id)
);
create index notification_inbox on notification (user_id, created_at desc, id desc);

-- One row per message a notify consumer handled: what the producer can look up by the event id its
-- emit() returned. SENT, FAILED (permanent, with the reason) or DROPPED (too old to send).
create table delivery (
  id bigint generated always as identity primary key,
  company_id bigint not null references auth_company (id),
  event_id text not null,
  consumer text not null,
  channel text not null check (channel in ('SMS', 'EMAIL', 'PUSH')),
  recipient text not null,
  status text not null check (status in ('SENT', 'FAILED', 'DROPPED')),
  reason text,
  provider_message_id text,
  created_at timestamptz not null default now(),
  unique (consumer, event_id, recipient)
);
create index delivery_event on delivery (event_id);

-- Tenant isolation: every row belongs to a company; the transaction's company ids decide what is visible.
do $$
declare t text;
begin
  foreach t in array array['auth_ott', 'device_info', 'notification', 'delivery'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format(
      'create policy %I on %I using (company_id = any ((select app.company_ids())::bigint[])) with check (company_id = any ((select app.company_ids())::bigint[]))',
      t || '_tenant', t);
  end loop;
end
$$;

grant select, insert, update on auth_ott, device_info, notification to rmtools_app;
grant delete on device_info to rmtools_app;
grant select, insert on delivery to rmtools_app;
