"""The site's page routes (the API's are under /api/, each app's in its api_urls)."""

from django.urls import path

from . import gene_page_writes, style_gallery, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="gene-search"),
    path("stats/", views.stats, name="stats"),
    path("styles/", style_gallery.style_gallery, name="style-gallery"),
    path("stats/plots/<str:name>.png", views.genome_plot, name="genome-plot"),
    path("genes/<str:symbol>/", views.gene_page, name="gene-page"),
    path("genes/<str:symbol>/print.png", gene_page_writes.print_copy, name="gene-print"),
    path("genes/<str:symbol>/request/", gene_page_writes.gene_request, name="gene-request"),
    path("portraits/<int:pk>/vote/", gene_page_writes.vote, name="portrait-vote"),
    path("portraits/<int:pk>/transfer/", gene_page_writes.transfer, name="portrait-transfer"),
]
