select year, question_id, answer
from selfassessment_answer
where municipality_code = :municipality_code
order by year, question_id
