# Private network for Cloud SQL.
#
# Cloud SQL gets a private IP through private services access (a reserved range peered with Google's service
# network); it has no public IP. The functions reach it through a Serverless VPC Access connector: the google
# provider 6.x supports only vpc_connector on google_cloudfunctions2_function (Direct VPC egress for 2nd gen
# functions is not in the 6.x provider). Egress is PRIVATE_RANGES_ONLY, so only RFC 1918 traffic (the database)
# goes through the connector; Google APIs and the internet are reached directly.
resource "google_compute_network" "main" {
  name                    = "rmtools"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.enabled]
}

resource "google_compute_global_address" "private_services" {
  name          = "rmtools-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 16
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
}

resource "google_vpc_access_connector" "functions" {
  name          = "rmtools-functions"
  region        = var.region
  network       = google_compute_network.main.name
  ip_cidr_range = var.connector_cidr
  machine_type  = "e2-micro"
  # A connector scales out under load but never back in; the maximum cannot be lowered later.
  min_instances = 2
  max_instances = 4

  depends_on = [google_project_service.enabled]
}

# Operator jobs inside the VPC (npm run db:bootstrap, npm run migrate), e.g. a short-lived VM without a public
# IP, reached through IAP. Private Google Access lets it call Google APIs (Secret Manager); Cloud NAT lets it
# fetch packages.
resource "google_compute_subnetwork" "admin" {
  name                     = "rmtools-admin"
  region                   = var.region
  network                  = google_compute_network.main.id
  ip_cidr_range            = var.admin_subnet_cidr
  private_ip_google_access = true
}

resource "google_compute_firewall" "admin_iap_ssh" {
  name          = "rmtools-admin-iap-ssh"
  network       = google_compute_network.main.id
  direction     = "INGRESS"
  source_ranges = ["35.235.240.0/20"]
  target_tags   = ["rmtools-admin"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_router" "admin" {
  name    = "rmtools-admin"
  region  = var.region
  network = google_compute_network.main.id
}

resource "google_compute_router_nat" "admin" {
  name                               = "rmtools-admin"
  router                             = google_compute_router.admin.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.admin.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
