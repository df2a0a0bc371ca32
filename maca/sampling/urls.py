from django.urls import path

app_name = "sampling"
urlpatterns: list = []
