delete from selfassessment_answer
where municipality_code = :municipality_code and year = :year and question_id = :question_id
