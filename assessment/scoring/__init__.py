"""The scoring engine: each rule is one query over the period's records, summed by the
database per department for the ranking and listed line by line for a statement."""
