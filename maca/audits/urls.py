from django.urls import path

from maca.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("<slug:slug>/", views.audit_overview, name="overview"),
    path("<slug:slug>/returns/", views.returns_grid, name="grid"),
    path("<slug:slug>/cases/<int:case_id>/", views.case_detail, name="case"),
]
