from django.urls import path

from maca.sampling import views

app_name = "sampling"
urlpatterns = [
    path("<slug:slug>/", views.imports, name="imports"),
    path("<slug:slug>/imports/new/", views.import_new, name="import-new"),
    path("<slug:slug>/imports/<uuid:public_id>/", views.import_detail, name="import"),
    path("<slug:slug>/imports/<uuid:public_id>/status/", views.import_status, name="import-status"),
    path("<slug:slug>/imports/<uuid:public_id>/decide/", views.import_decide, name="import-decide"),
    path(
        "<slug:slug>/imports/<uuid:public_id>/problems.csv",
        views.import_problems,
        name="import-problems",
    ),
    path("<slug:slug>/imports/<uuid:public_id>/cohort/", views.cohort, name="cohort"),
    path("<slug:slug>/imports/<uuid:public_id>/sample/", views.sample, name="sample"),
    path("<slug:slug>/draws/<int:pk>/", views.draw_detail, name="draw"),
    path("<slug:slug>/cases/<int:case_id>/903/", views.case_facts, name="case-facts"),
]
