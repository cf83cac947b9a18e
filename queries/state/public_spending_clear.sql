delete from public_spending
