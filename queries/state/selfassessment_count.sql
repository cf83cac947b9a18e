select count(*) as answers
from selfassessment_answer
where municipality_code = :municipality_code
