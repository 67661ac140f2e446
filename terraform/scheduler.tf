# One Cloud Scheduler job per scheduled function. It publishes a tick to the function's own topic
# (schedule.*), which reaches the function through its push subscription (pubsub.tf), with the same retry and
# dead-letter handling as events. Schedules are in Jakarta time.
resource "google_cloud_scheduler_job" "scheduled" {
  for_each = local.scheduled_functions

  name        = each.key
  region      = var.region
  description = "Tick for the ${each.key} function"
  schedule    = each.value.schedule
  time_zone   = "Asia/Jakarta"

  pubsub_target {
    topic_name = google_pubsub_topic.topic[each.value.topic].id
    # Non-empty data: the Functions Framework only turns a push request with data into a CloudEvent.
    data = base64encode(jsonencode({ job = each.key }))
    attributes = {
      scheduler_job = each.key
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_pubsub_subscription.push,
  ]
}
