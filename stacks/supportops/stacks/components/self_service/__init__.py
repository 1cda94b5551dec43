"""Automation & self-service: the Lex V2 support bot, the self-service IVR flow, the knowledge base."""
