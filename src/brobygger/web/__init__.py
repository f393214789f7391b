"""The registry web app: a Django project beside the core.

One Django app per bounded context (``accounts``, ``registry``, ``pathways``, ``accelerator``,
``audit``), a Django-free ``lib`` (CPR, CVR, encryption, environment helpers) and the REST API
under ``api``. The core (``brobygger.*``) never imports anything from here.
"""
