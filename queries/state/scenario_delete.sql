delete from scenario
where scenario_id = :scenario_id
  and author = :author
