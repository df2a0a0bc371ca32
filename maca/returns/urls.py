from django.urls import path

app_name = "returns"
urlpatterns: list = []
