-- dbgen prototype rollback
-- Module: service-scheduler
-- Iteration: 1 → back to 0
-- Undoes: 20261125094640_iter1_create_services_work_orders.sql
-- `dbgen rollback` saves the rows of dropped tables and columns in schema dbgen first
-- Operations:
--   DROP TABLE work_orders
--   DROP TABLE services

DROP TABLE public.work_orders;

DROP TABLE public.services;
