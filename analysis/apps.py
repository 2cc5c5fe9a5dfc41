from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    """Reading text: passages, stance, certainty, claim matching. No models and no ORM; an app
    only so that its management commands (assess, evaluate_assessor, train_stance) are found."""

    name = "analysis"
    verbose_name = "Analysis"
