"""AMAP: contracts, delivery calendars, subscriptions, cheque plans and the solidarity fund."""
