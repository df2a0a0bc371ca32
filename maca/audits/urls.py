from django.urls import path

app_name = "audits"
urlpatterns: list = []
