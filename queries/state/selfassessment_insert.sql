insert into selfassessment_answer (
    municipality_code, year, question_id, answer, answered_by, answered_role, answered_at
)
values (
    :municipality_code, :year, :question_id, :answer, :answered_by, :answered_role, :answered_at
)
