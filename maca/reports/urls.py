from django.urls import path

from maca.reports import views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/brief/", views.brief, name="brief"),
    path("<slug:slug>/brief.pdf", views.brief_download, {"extension": "pdf"}, name="brief-pdf"),
    path("<slug:slug>/brief.docx", views.brief_download, {"extension": "docx"}, name="brief-docx"),
    path("<slug:slug>/brief.md", views.brief_download, {"extension": "md"}, name="brief-md"),
]
