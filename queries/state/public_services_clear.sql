delete from public_services
