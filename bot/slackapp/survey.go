package slackapp

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

const (
	surveyModalCallbackID = "askdesk:survey"
	surveyBlockPrefix     = "askdesk:survey:"
	surveyCommentBlock    = "askdesk:survey-comment"
)

// openSurveyModal shows the quarterly survey: one 1–5 choice per
// department the person was asked about, and a comment.
func (a *App) openSurveyModal(ctx context.Context, trigger, user, quarter string) error {
	if a.Surveys == nil {
		return fmt.Errorf("surveys not configured")
	}
	rows, err := a.Surveys.SurveyResults(ctx, quarter)
	if err != nil {
		return err
	}
	p := a.printer(user)
	var blocks []slack.Block
	for _, r := range rows {
		if r.Requester != user {
			continue
		}
		dep := a.directory().ByName(r.Dept)
		if dep == nil {
			continue
		}
		var opts []*slack.OptionBlockObject
		for i, e := range a.directory().RatingPolicy().Emoji {
			opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(i+1), plainText(fmt.Sprintf("%s %d", ":"+e+":", i+1)), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(p.T("slack.survey.score_placeholder")), surveyBlockPrefix+dep.Name, opts...)
		in := slack.NewInputBlock(surveyBlockPrefix+dep.Name, plainText(clipRunes(dep.DisplayName, 2000)), nil, sel)
		in.Optional = true
		blocks = append(blocks, in)
	}
	if len(blocks) == 0 {
		return fmt.Errorf("%s was not asked about %s", user, quarter)
	}
	comment := slack.NewPlainTextInputBlockElement(plainText(p.T("slack.survey.comment_placeholder")), surveyCommentBlock)
	comment.Multiline = true
	in := slack.NewInputBlock(surveyCommentBlock, plainText(p.T("slack.survey.comment_label")), nil, comment)
	in.Optional = true
	blocks = append(blocks, in)
	view := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: surveyModalCallbackID, PrivateMetadata: quarter,
		Title: plainText(clipRunes(p.T("slack.survey.title", "Quarter", quarter), limModalTitle)), Submit: plainText(p.T("slack.survey.send")), Close: plainText(p.T("slack.survey.later")), //i18n:ok placeholder name
		Blocks: slack.Blocks{BlockSet: blocks},
	}
	ctx, cancel := context.WithTimeout(ctx, modalTimeout)
	defer cancel()
	_, err = a.api.OpenViewContext(ctx, trigger, view)
	return err
}

// submitSurveyModal records each department rated in the survey form.
func (a *App) submitSurveyModal(ctx context.Context, cb slack.InteractionCallback) any {
	if a.Surveys == nil || cb.View.State == nil {
		return nil
	}
	comment := strings.TrimSpace(cb.View.State.Values[surveyCommentBlock][surveyCommentBlock].Value)
	answered := 0
	for block, actions := range cb.View.State.Values {
		dept, ok := strings.CutPrefix(block, surveyBlockPrefix)
		if !ok {
			continue
		}
		score, _ := strconv.Atoi(actions[block].SelectedOption.Value)
		if score == 0 {
			continue
		}
		if err := a.desk.AnswerSurvey(ctx, a.Surveys, cb.User.ID, cb.View.PrivateMetadata, dept, score, comment); err != nil {
			return slack.NewErrorsViewSubmissionResponse(map[string]string{block: Mrkdwn(bot.ErrorText(a.printer(cb.User.ID), err))})
		}
		answered++
	}
	if answered == 0 {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{surveyCommentBlock: a.printer(cb.User.ID).T("slack.survey.none_rated")})
	}
	return nil
}
