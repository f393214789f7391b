"""Django-free helpers of the web app: plain functions over plain values, easy to test."""
