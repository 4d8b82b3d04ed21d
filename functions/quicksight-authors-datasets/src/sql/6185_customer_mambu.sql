-- QuickSight dataset 6185 (customer x Mambu): every live customer with its
-- Mambu client and the loans of that client, from the newest Mambu snapshot.
WITH customers AS (
    SELECT customer_id, status, country, created_at, _is_deleted,
           row_number() OVER (PARTITION BY customer_id
                              ORDER BY _approximate_creation_time DESC, _sequence_number DESC) AS rn
    FROM datalake_raw.customers
),
clients AS (
    SELECT id, encoded_key, state, activation_date
    FROM datalake_raw.mambu_clients
    WHERE concat(year, month, day) = (SELECT max(concat(year, month, day)) FROM datalake_raw.mambu_clients)
),
loans AS (
    SELECT account_holder_key,
           count(*) AS loans,
           count_if(account_state = 'ACTIVE') AS active_loans,
           sum(loan_amount) AS loan_amount
    FROM datalake_raw.mambu_loan_accounts
    WHERE concat(year, month, day) = (SELECT max(concat(year, month, day)) FROM datalake_raw.mambu_loan_accounts)
    GROUP BY account_holder_key
)
SELECT c.customer_id,
       c.status AS customer_status,
       c.country,
       c.created_at AS customer_created_at,
       cl.id AS mambu_client_id,
       cl.state AS mambu_client_state,
       cl.activation_date AS mambu_activation_date,
       coalesce(l.loans, 0) AS loans,
       coalesce(l.active_loans, 0) AS active_loans,
       coalesce(l.loan_amount, 0) AS loan_amount
FROM customers c
JOIN clients cl ON cl.id = c.customer_id
LEFT JOIN loans l ON l.account_holder_key = cl.encoded_key
WHERE c.rn = 1 AND NOT c._is_deleted;
