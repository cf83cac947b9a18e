select question_id, answer, answered_by, answered_role, answered_at
from selfassessment_answer
where municipality_code = :municipality_code and year = :year
order by question_id
