insert into public_services (
    municipality_code, period, service, full_time_services, source, fetched_at
)
values (:municipality_code, :period, :service, :full_time_services, :source, :fetched_at)
