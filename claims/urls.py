"""Reader and reviewer pages. They live in the claims app because every page
shows claims (episodes and people included); ``episodes`` stays free of any
import of ``claims``."""

from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("episodes/", views.episode_list, name="episode_list"),
    path("episodes/<slug:slug>/", views.episode_detail, name="episode_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
]
