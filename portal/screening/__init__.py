"""Merchant screening (品控): applications, licences, and trainers' decisions on organisations."""
