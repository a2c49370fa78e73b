-- The owner's and the nearest operator's customer numbers, kept on the record beside their
-- names (refreshHierarchy maintains all four): a list page then reads them from the row it
-- already has, instead of looking up two other customers for every record.
ALTER TABLE customers ADD COLUMN parent_number bigint, ADD COLUMN operator_number bigint;

UPDATE customers c
   SET parent_number = (SELECT o.number FROM customers o WHERE o.account_id = c.account_id AND o.id = c.parent_id),
       operator_number = (SELECT o.number FROM customers o WHERE o.account_id = c.account_id AND o.id = c.operator_id)
 WHERE c.parent_id IS NOT NULL OR c.operator_id IS NOT NULL;
