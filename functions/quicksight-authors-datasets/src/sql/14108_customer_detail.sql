-- QuickSight dataset 14108 (customer detail): every live customer with its
-- live cards and its Salesforce cases (the newest version of each).
WITH customers AS (
    SELECT *,
           row_number() OVER (PARTITION BY customer_id
                              ORDER BY _approximate_creation_time DESC, _sequence_number DESC) AS rn
    FROM datalake_raw.customers
),
cards AS (
    SELECT card_id, customer_id, status, _is_deleted,
           row_number() OVER (PARTITION BY card_id
                              ORDER BY _approximate_creation_time DESC, _sequence_number DESC) AS rn
    FROM datalake_raw.sls_cards
),
card_totals AS (
    SELECT customer_id,
           count(*) AS cards,
           count_if(status = 'active') AS active_cards
    FROM cards
    WHERE rn = 1 AND NOT _is_deleted
    GROUP BY customer_id
),
cases AS (
    SELECT id, account_id, is_closed,
           row_number() OVER (PARTITION BY id ORDER BY last_modified_date DESC) AS rn
    FROM datalake_raw.salesforce_cases
),
case_totals AS (
    SELECT account_id,
           count(*) AS cases,
           count_if(NOT is_closed) AS open_cases
    FROM cases
    WHERE rn = 1
    GROUP BY account_id
)
SELECT c.customer_id,
       c.status,
       c.first_name,
       c.last_name,
       c.country,
       c.address_city,
       c.marketing_opt_in,
       c.loyalty_points,
       c.created_at,
       c.updated_at,
       coalesce(k.cards, 0) AS cards,
       coalesce(k.active_cards, 0) AS active_cards,
       coalesce(s.cases, 0) AS cases,
       coalesce(s.open_cases, 0) AS open_cases
FROM customers c
LEFT JOIN card_totals k ON k.customer_id = c.customer_id
LEFT JOIN case_totals s ON s.account_id = c.customer_id
WHERE c.rn = 1 AND NOT c._is_deleted;
