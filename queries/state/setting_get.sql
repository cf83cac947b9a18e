select setting_value, updated_at, updated_by
from state_setting
where municipality_code = :municipality_code and setting_key = :setting_key
