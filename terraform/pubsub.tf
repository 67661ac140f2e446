# Pub/Sub. The event topics are the ones the code publishes to (through the outbox); local.topics (locals.tf)
# adds the scheduled functions' own topics. Keep this block to the list, which the repo's test reads.
locals {
  event_topics = ["otp.requested", "email.requested", "push.requested", "bib.sync.requested"]
}

resource "google_pubsub_topic" "topic" {
  for_each = toset(local.topics)

  name = each.key

  message_storage_policy {
    allowed_persistence_regions = [var.region]
  }

  depends_on = [google_project_service.enabled]
}

# Every topic has a dead-letter topic "<topic>.dlq" and a pull subscription of the same name on it, so a
# message that keeps failing is parked there, not dropped. Nothing consumes these subscriptions: an operator
# inspects the messages and republishes or acks them (README.md). The topic also retains messages for 31 days
# so that the subscription can be seeked back even after a message was acked.
resource "google_pubsub_topic" "dead_letter" {
  for_each = toset(local.topics)

  name                       = "${each.key}.dlq"
  message_retention_duration = "2678400s"

  message_storage_policy {
    allowed_persistence_regions = [var.region]
  }

  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_subscription" "dead_letter" {
  for_each = toset(local.topics)

  name                       = "${each.key}.dlq"
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = true

  # Never expire for inactivity (the default would delete it after 31 idle days).
  expiration_policy {
    ttl = ""
  }
}

# Delivery to the event and scheduled functions: a push subscription per function, not an event_trigger.
#
# A 2nd gen function's event_trigger creates an Eventarc trigger, and Eventarc creates and owns the Pub/Sub
# subscription behind it. Neither google_cloudfunctions2_function nor google_eventarc_trigger can set a
# dead-letter policy or a maximum number of delivery attempts on that subscription; the only documented way is
# to edit the Eventarc-managed subscription afterwards (gcloud pubsub subscriptions update ...
# --dead-letter-topic ...). Terraform would not own that change, it is lost whenever the trigger is recreated,
# and until it is made, a message that keeps failing is retried until the subscription's retention runs out
# and then vanishes.
#
# So Terraform owns the subscription itself:
#   - push to the function's URL with an OIDC token of a dedicated push service account, the only principal
#     allowed to invoke these functions (iam.tf), whose ingress is internal-only;
#   - retry with exponential backoff from 10 s to 10 min, which is what RETRY_POLICY_RETRY gives an Eventarc
#     trigger;
#   - after 5 failed deliveries, the message goes to "<topic>.dlq".
# The Functions Framework turns a Pub/Sub push request into the CloudEvent an Eventarc trigger would deliver
# (type google.cloud.pubsub.topic.v1.messagePublished, data.message.{data, attributes, messageId,
# publishTime}), so handlers registered with functions.cloudEvent() are unchanged. Two conditions of that
# conversion: a message needs a non-empty data field, and the endpoint path names the topic
# (/projects/<project>/topics/<topic>), from which the event's source is set.
# A handler acks by returning 2xx; an error status or a timeout is a nack and counts as one delivery attempt
# (so does a 429 when max instances are busy). Delivery is at least once: handlers must be idempotent.
resource "google_pubsub_subscription" "push" {
  for_each = local.triggered_functions

  name                 = "${each.value.topic}.${each.key}"
  topic                = google_pubsub_topic.topic[each.value.topic].id
  ack_deadline_seconds = local.push_ack_deadline_seconds[each.value.kind]
  # Events wait up to 7 days for a healthy function. Scheduler ticks go stale quickly and the outbox, not the
  # tick, is the durable record, so they are kept for the 10-minute minimum.
  message_retention_duration = each.value.kind == "scheduled" ? "600s" : "604800s"

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.value.topic].id
    max_delivery_attempts = 5
  }

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.function[each.key].service_config[0].uri}/projects/${var.project_id}/topics/${each.value.topic}"

    oidc_token {
      service_account_email = google_service_account.pubsub_push.email
      audience              = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    }
  }

  depends_on = [
    google_cloud_run_service_iam_member.push_invoker,
    google_service_account_iam_member.pubsub_push_token_creator,
  ]
}

# Dead-lettering is done by the Pub/Sub service agent: it must be able to publish to the dead-letter topics and
# to subscribe to (acknowledge on) the source subscriptions.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = google_pubsub_topic.dead_letter

  topic  = each.value.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent

  depends_on = [google_project_service_identity.pubsub]
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each = google_pubsub_subscription.push

  subscription = each.value.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent

  depends_on = [google_project_service_identity.pubsub]
}

# A message in a dead-letter subscription means a function gave up on it: alert on any.
resource "google_monitoring_alert_policy" "dead_letter" {
  for_each = toset(local.topics)

  display_name          = "RMTools ${var.environment}: dead-lettered messages on ${each.key}"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "Undelivered messages in ${each.key}.dlq"

    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.dead_letter[each.key].name}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }

      trigger {
        count = 1
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Messages of topic `${each.key}` failed 5 deliveries and were parked in subscription `${each.key}.dlq`. Read the function's logs for the cause, fix it, then republish the messages to `${each.key}` (or ack them if they must not be processed). See terraform/README.md."
  }

  depends_on = [google_project_service.enabled]
}
