"""Printed documents (ReportLab): lays out the document data that `coop` builds."""
