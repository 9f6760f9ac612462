"""claimdesk: claim-level fact-checking records over HTTP."""
