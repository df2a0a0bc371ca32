from django.urls import path

from maca.learning import views

app_name = "learning"
urlpatterns = [
    path("<slug:slug>/findings/", views.findings, name="findings"),
    path("<slug:slug>/actions/", views.actions, name="actions"),
]
