insert into state_setting (municipality_code, setting_key, setting_value, updated_at, updated_by)
values (:municipality_code, :setting_key, :setting_value, :updated_at, :updated_by)
on conflict (municipality_code, setting_key) do update
set setting_value = excluded.setting_value,
    updated_at = excluded.updated_at,
    updated_by = excluded.updated_by
