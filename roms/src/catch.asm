; =============================================================================
; Catch - sap-rl's own Atari 2600 game (4K cartridge, NTSC)
; =============================================================================
;
; Assembled with dasm (npm package `dasm`): `npm run rom:build` writes roms/catch.bin.
;
; The game
;   Objects (the ball, 4 pixels wide, 8 lines tall) fall one at a time from the top
;   of the field in one of 16 columns. The player moves a catcher (player 0, 16
;   pixels wide, 8 lines tall) left and right along the bottom with the left
;   joystick. A catch (the ball touches the catcher: collision latch P0-BL) scores
;   +1 in the left counter; an object that falls past the catcher scores +1 in the
;   right counter (a miss). The next object drops 8 frames later. After 20 objects
;   the game is over: the game-over flag is set and everything freezes until the
;   console RESET switch starts a new game. RESET always starts a new game.
;
; Randomness
;   A 16-bit Galois LFSR (taps $B400) steps once every frame and once more on every
;   frame the joystick is pushed left or right, so that timing (no-op starts, sticky
;   actions, when the catcher moves) changes what comes next. The column of a new
;   object is the low 4 bits of the generator. It is seeded at power-on from the RIOT
;   timer (INTIM is read first thing): ALE starts the timer at a value drawn from its
;   system generator on every system reset, so each reset of a loaded ROM brings
;   other objects. That generator has a fixed seed (system_random_seed), not ALE's
;   random_seed: different ALE seeds differ through the sticky actions, which decide
;   on which frames the joystick moves, and so how the LFSR runs.
;
; Timing (all per frame)
;   The ball falls 2.5 lines a frame (2 lines plus a half-line fraction), from line
;   28 to the catcher's top at line 170: a catch comes 54 frames after the object
;   appears, a miss is declared when its top passes line 178 (60 frames). The
;   catcher moves 3 pixels a frame over 16..128 (its left edge), so it crosses the
;   whole field in 38 frames, less than the fall time. An object takes 63 frames
;   when caught (54, one more to read the collision latch, the 8-frame gap), 68 when
;   missed: a game of 20 lasts 1260..1360 frames (315..340 steps at frameskip 4).
;
; Screen (192 visible lines; line numbers below are kernel lines 0..191, ALE's screen
;   row = kernel line + 3: ALE shows 210 lines from 34 lines after VSYNC)
;     0-3    blank
;     4-23   the score: playfield in score mode, two BCD digits per side (3x5 font,
;            each font row 4 lines): caught on the left (green), missed on the right (red)
;    24-27   blank
;    28-183  the field: playfield walls 16 pixels wide on both sides (pixels 0-15 and
;            144-159), the ball (white, shares the walls' playfield colour), the
;            catcher at lines 170-177 (orange)
;   184-191  the floor: playfield across the whole width
;   Background dark blue. NTSC frame: 3 lines VSYNC, 37 lines VBLANK (TIM64T), 192
;   visible lines, 30 lines overscan = 262 lines.
;
; RAM ($80 upwards; all RAM is cleared at power-on)
;   $80 Caught     objects caught, BCD (00..20)
;   $81 Missed     objects missed, BCD (00..20)
;   $82 Objects    objects finished so far, caught + missed (binary, 0..20)
;   $83 GameOver   1 once 20 objects have fallen, else 0
;   $84 RngLo      random generator, low byte
;   $85 RngHi      random generator, high byte
;   $86 CatcherX   catcher's left edge, screen pixel (16..128)
;   $87 BallX      ball's left edge, screen pixel (18 + 8 * column)
;   $88 BallY      ball's top line, kernel line (0 = no ball on screen)
;   $89 BallSub    fraction of BallY (1/256 lines)
;   $8A BallState  0 = waiting for the next object, 1 = falling
;   $8B Timer      frames until the next object appears (while waiting)
;   $8C Frame      frame counter (wraps)
;   $8D-$91        score graphics, left half (5 rows of PF1)
;   $92-$96        score graphics, right half
;   $97-$9B        scratch
; =============================================================================

        processor 6502
        include "vcs-regs.inc"

; ---------------------------------------------------------------- game settings
OBJECTS_PER_GAME = 20
GAP_FRAMES      = 8         ; frames between an object's end and the next one
FALL_LINES      = 2         ; whole lines the ball falls per frame ...
FALL_SUB        = $80       ; ... plus this fraction (1/256 lines): 2.5 lines a frame
CATCHER_SPEED   = 3         ; pixels per frame
CATCHER_MIN     = 16        ; left edge range of the catcher (inside the walls)
CATCHER_MAX     = 128
CATCHER_START   = 72        ; centred
BALL_X0         = 18        ; left edge of column 0; columns are 8 pixels apart
RNG_HI_SEED     = $A5       ; high byte at power-on (non-zero: the LFSR never sticks)
RNG_TAPS        = $B4       ; x^16 + x^14 + x^13 + x^11 + 1, high byte of $B400

; ---------------------------------------------------------------- screen layout
SCORE_TOP       = 4         ; first line of the score digits
ROW_LINES       = 4         ; lines per font row (5 rows)
PLAY_TOP        = 28        ; first line of the field; a new ball starts here
CATCH_TOP       = 170       ; the catcher's lines
CATCH_H         = 8
BALL_H          = 8         ; ball height in lines
MISS_Y          = CATCH_TOP + CATCH_H   ; a ball whose top reaches this line is missed
FLOOR_TOP       = 184       ; floor lines 184..191
FLOOR_LINES     = 8
WALL_PF0        = $F0       ; PF0 all on: 16 pixels, reflected to the right side

; Screen pixel = value given to SetHorizPos + these (measured on the emulator).
HPOS_P0         = 4
HPOS_BL         = 2

; CTRLPF values: D4-D5 = 2 gives a 4-pixel ball.
CTRL_SCORE      = $22       ; score mode (halves in COLUP0 / COLUP1), not reflected
CTRL_FIELD      = $21       ; reflected playfield (walls on both sides)
CATCHER_NUSIZ   = $05       ; player 0 double width: 16 pixels
CATCHER_GFX     = $FF

; ---------------------------------------------------------------- colours (NTSC)
COL_BG          = $90       ; dark blue background (ALE grey 32)
COL_WALL        = $0E       ; white: walls, floor and the ball (grey 236)
COL_CATCHER     = $38       ; orange (grey 148)
COL_CAUGHT      = $C8       ; green digits (grey 147)
COL_MISSED      = $46       ; red digits (grey 110)

; ---------------------------------------------------------------- frame timer
VBLANK_TIME     = 44        ; TIM64T counts for the 37 lines of vertical blank
OVERSCAN_TIME   = 36        ; TIM64T counts for the 30 lines of overscan

; ============================================================================= RAM
        seg.u Variables
        org $80
Caught          ds 1
Missed          ds 1
Objects         ds 1
GameOver        ds 1
RngLo           ds 1
RngHi           ds 1
CatcherX        ds 1
BallX           ds 1
BallY           ds 1
BallSub         ds 1
BallState       ds 1
Timer           ds 1
Frame           ds 1
ScoreL          ds 5
ScoreR          ds 5
Temp            ds 5

; ============================================================================= code
        seg Code
        org $F000

; ---------------------------------------------------------------- power-on
Start
        lda INTIM               ; first of all: the timer's start value, our seed
        tay
        sei
        cld
        ldx #0
        txa
.clear  sta $00,x               ; TIA registers ($00-$7F) and all RAM ($80-$FF)
        inx
        bne .clear
        dex
        txs                     ; stack at $FF
        sty RngLo
        lda #RNG_HI_SEED
        sta RngHi
        jsr NewGame

; ---------------------------------------------------------------- one frame
MainLoop
        ; vertical sync: 3 lines
        lda #2
        sta VBLANK
        sta VSYNC
        sta WSYNC
        sta WSYNC
        sta WSYNC
        lda #0
        sta VSYNC

        ; vertical blank: the game logic
        lda #VBLANK_TIME
        sta TIM64T
        inc Frame
        jsr NextRandom          ; one step every frame
        lda SWCHA
        and #%11000000          ; joystick 0 right (D7) / left (D6), 0 = pushed
        cmp #%11000000
        beq .still
        jsr NextRandom          ; and one more while the joystick is pushed
.still
        lda SWCHB
        lsr                     ; D0: the RESET switch, 0 = pressed
        bcs .noReset
        jsr NewGame
        jmp .logicDone
.noReset
        lda GameOver
        bne .logicDone          ; over: frozen until RESET
        jsr MoveCatcher
        jsr UpdateBall
.logicDone
        sta CXCLR               ; collisions of the frame about to be drawn only
        jsr BuildScore

        lda CatcherX
        sec
        sbc #HPOS_P0
        ldx #0                  ; player 0
        jsr SetHorizPos
        lda BallX
        sec
        sbc #HPOS_BL
        ldx #4                  ; the ball
        jsr SetHorizPos
        sta WSYNC
        sta HMOVE               ; fine positions, once a frame

.vblank lda INTIM
        bne .vblank

        ; ------------------------------------------------ kernel: 192 lines
        sta WSYNC               ; line 0
        lda #0
        sta VBLANK
        sta HMCLR
        lda #CTRL_SCORE
        sta CTRLPF
        lda #COL_BG
        sta COLUBK
        lda #COL_CAUGHT
        sta COLUP0
        lda #COL_MISSED
        sta COLUP1
        ldy #SCORE_TOP - 1
.top    sta WSYNC               ; lines 1..3
        dey
        bne .top

        ldx #0                  ; font row
.row    ldy #ROW_LINES
.rowLine
        sta WSYNC               ; lines 4..23
        lda ScoreL,x            ; 4
        sta PF1                 ; 7: left PF1 is drawn from cycle 28
        lda ScoreR,x            ; 11
        REPEAT 16
        nop                     ; 43
        REPEND
        sta PF1                 ; 46: after the left PF1 (cycle 38), before the right one (55)
        dey
        bne .rowLine
        inx
        cpx #5
        bne .row

        sta WSYNC               ; line 24: set up the field
        lda #0
        sta PF1
        lda #CTRL_FIELD
        sta CTRLPF
        lda #COL_CATCHER
        sta COLUP0
        lda #COL_WALL
        sta COLUPF
        lda #CATCHER_NUSIZ
        sta NUSIZ0
        sta WSYNC               ; line 25
        sta WSYNC               ; line 26
        sta WSYNC               ; line 27

        ldy #PLAY_TOP           ; Y = the line the loop prepares, then draws
.play   tya                     ; the ball is on if 0 <= Y - BallY < BALL_H
        sec
        sbc BallY
        cmp #BALL_H
        lda #0
        bcs .noBall
        lda #2
.noBall ldx #0                  ; the catcher is on lines CATCH_TOP..+CATCH_H-1
        cpy #CATCH_TOP
        bcc .noCatcher
        cpy #CATCH_TOP + CATCH_H
        bcs .noCatcher
        ldx #CATCHER_GFX
.noCatcher
        sta WSYNC               ; lines 28..183
        sta ENABL
        stx GRP0
        lda #WALL_PF0
        sta PF0
        iny
        cpy #FLOOR_TOP
        bne .play

        sta WSYNC               ; line 184: the floor
        lda #0
        sta ENABL
        sta GRP0
        lda #$FF
        sta PF1
        sta PF2
        ldy #FLOOR_LINES - 1
.floor  sta WSYNC               ; lines 185..191
        dey
        bne .floor

        ; ------------------------------------------------ overscan: 30 lines
        sta WSYNC
        lda #2
        sta VBLANK
        lda #0
        sta PF0
        sta PF1
        sta PF2
        lda #OVERSCAN_TIME
        sta TIM64T
.over   lda INTIM
        bne .over
        sta WSYNC
        jmp MainLoop

; ---------------------------------------------------------------- subroutines

; NewGame: scores, counters and positions of a fresh game (the generator runs on).
NewGame subroutine
        lda #0
        sta Caught
        sta Missed
        sta Objects
        sta GameOver
        sta BallState
        sta BallY
        sta BallSub
        lda #GAP_FRAMES
        sta Timer
        lda #CATCHER_START
        sta CatcherX
        lda #BALL_X0
        sta BallX
        rts

; NextRandom: one step of the 16-bit Galois LFSR (shift right, taps $B400).
NextRandom subroutine
        lsr RngHi
        ror RngLo
        bcc .done
        lda RngHi
        eor #RNG_TAPS
        sta RngHi
.done   rts

; MoveCatcher: joystick 0 right / left moves the catcher, kept between the walls.
MoveCatcher subroutine
        lda SWCHA
        bmi .notRight           ; D7 = 1: right not pushed
        lda CatcherX
        clc
        adc #CATCHER_SPEED
        cmp #CATCHER_MAX + 1
        bcc .right
        lda #CATCHER_MAX
.right  sta CatcherX
        rts
.notRight
        asl                     ; D6 (left) to D7
        bmi .done
        lda CatcherX
        sec
        sbc #CATCHER_SPEED
        cmp #CATCHER_MIN
        bcs .left
        lda #CATCHER_MIN
.left   sta CatcherX
.done   rts

; UpdateBall: wait, drop, fall; score a catch (collision in the frame just drawn)
; or a miss; end the game after OBJECTS_PER_GAME objects.
UpdateBall subroutine
        lda BallState
        bne .falling
        dec Timer               ; waiting for the next object
        bne .done
        lda RngLo               ; a new object in a random column
        and #$0F
        asl
        asl
        asl
        clc
        adc #BALL_X0
        sta BallX
        lda #PLAY_TOP
        sta BallY
        lda #0
        sta BallSub
        lda #1
        sta BallState
.done   rts
.falling
        bit CXP0FB              ; D6: player 0 touched the ball
        bvs .caught
        lda BallSub
        clc
        adc #FALL_SUB
        sta BallSub
        lda BallY
        adc #FALL_LINES         ; plus the fraction's carry
        sta BallY
        cmp #MISS_Y
        bcc .done
        sed                     ; it got past the catcher: a miss
        lda Missed
        clc
        adc #1
        sta Missed
        cld
        jmp .over
.caught sed
        lda Caught
        clc
        adc #1
        sta Caught
        cld
.over   lda #0                  ; this object is over
        sta BallState
        sta BallY
        lda #GAP_FRAMES
        sta Timer
        inc Objects
        lda Objects
        cmp #OBJECTS_PER_GAME
        bne .done
        lda #1
        sta GameOver
        rts

; BuildScore: the 5 rows of PF1 for both halves of the score line.
; A row is the tens digit in D7-D5 and the ones digit in D3-D1.
BuildScore subroutine
        lda Caught
        ldx #0
        jsr .digits             ; Temp+0, Temp+1: font offsets of Caught's digits
        lda Missed
        ldx #2
        jsr .digits             ; Temp+2, Temp+3: Missed's
        ldx #4
.row    txa
        clc
        adc Temp+1
        tay
        lda Font,y
        lsr
        lsr
        lsr
        lsr
        sta Temp+4
        txa
        clc
        adc Temp+0
        tay
        lda Font,y
        ora Temp+4
        sta ScoreL,x
        txa
        clc
        adc Temp+3
        tay
        lda Font,y
        lsr
        lsr
        lsr
        lsr
        sta Temp+4
        txa
        clc
        adc Temp+2
        tay
        lda Font,y
        ora Temp+4
        sta ScoreR,x
        dex
        bpl .row
        rts
; A = a BCD byte: Temp+X = 5 * tens digit, Temp+X+1 = 5 * ones digit
.digits pha
        lsr
        lsr
        lsr
        lsr
        jsr .times5
        sta Temp,x
        pla
        and #$0F
        jsr .times5
        sta Temp+1,x
        rts
.times5 sta Temp+4
        asl
        asl
        clc
        adc Temp+4
        rts

; SetHorizPos: puts object X (0 = player 0 ... 4 = ball) at pixel A + its HPOS_
; offset. Coarse position by 15-pixel steps (5 cycles each) with RESxx, fine
; position in the object's HMxx register (applied by the next HMOVE).
SetHorizPos subroutine
        sta WSYNC
        sec
.coarse sbc #15
        bcs .coarse
        eor #7                  ; remainder -15..-1 to a motion of -6..+8 pixels
        asl
        asl
        asl
        asl
        sta HMP0,x
        sta RESP0,x
        rts

; ---------------------------------------------------------------- data

; Digits 0-9, 3 pixels wide (D7-D5), 5 rows each, top row first.
Font
        dc.b %11100000, %10100000, %10100000, %10100000, %11100000   ; 0
        dc.b %01000000, %11000000, %01000000, %01000000, %11100000   ; 1
        dc.b %11100000, %00100000, %11100000, %10000000, %11100000   ; 2
        dc.b %11100000, %00100000, %01100000, %00100000, %11100000   ; 3
        dc.b %10100000, %10100000, %11100000, %00100000, %00100000   ; 4
        dc.b %11100000, %10000000, %11100000, %00100000, %11100000   ; 5
        dc.b %11100000, %10000000, %11100000, %10100000, %11100000   ; 6
        dc.b %11100000, %00100000, %01000000, %01000000, %01000000   ; 7
        dc.b %11100000, %10100000, %11100000, %10100000, %11100000   ; 8
        dc.b %11100000, %10100000, %11100000, %00100000, %11100000   ; 9

; ---------------------------------------------------------------- vectors
        org $FFFA
        dc.w Start              ; NMI
        dc.w Start              ; RESET
        dc.w Start              ; IRQ / BRK
